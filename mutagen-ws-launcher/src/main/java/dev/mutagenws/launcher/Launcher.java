package dev.mutagenws.launcher;

/** Entry point of the runnable jar; flags and wiring arrive with the launcher issue. */
public final class Launcher {
    private Launcher() {
    }

    public static void main(String[] args) {
        System.out.println("mutagen-ws launcher: not wired yet");
    }
}
