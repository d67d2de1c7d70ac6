package dev.mutagenws.testkit;

/** The script of one Docker container; see {@link DockerContainers}. Setters return this for chaining. */
public final class DockerContainer {
    private final String name;
    private volatile boolean running = true;

    DockerContainer(String name) {
        this.name = name;
    }

    /**
     * Whether the container is running (default true). A stopped container fails probing with
     * {@code container not running}, as docker exec reports "is not running".
     */
    public DockerContainer running(boolean running) {
        this.running = running;
        return this;
    }

    /** Whether the container is scripted as running (default true). */
    public boolean running() {
        return running;
    }

    String name() {
        return name;
    }
}
