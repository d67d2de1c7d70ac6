package dev.mutagenws.server;

/** The live-state contract over newline-delimited JSON ({@code Accept: application/x-ndjson}) from the events route. */
class NdjsonLiveStateTest extends LiveStateContract {
    @Override
    LiveTransport transport(Endpoint endpoint) {
        return new SseLiveStateTest.StreamTransport(endpoint, true);
    }
}
