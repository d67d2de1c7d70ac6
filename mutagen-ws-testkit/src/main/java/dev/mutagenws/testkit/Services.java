package dev.mutagenws.testkit;

import dev.mutagenws.proto.service.daemon.DaemonGrpc;
import dev.mutagenws.proto.service.daemon.TerminateRequest;
import dev.mutagenws.proto.service.daemon.TerminateResponse;
import dev.mutagenws.proto.service.daemon.VersionRequest;
import dev.mutagenws.proto.service.daemon.VersionResponse;
import dev.mutagenws.proto.service.prompting.HostRequest;
import dev.mutagenws.proto.service.prompting.HostResponse;
import dev.mutagenws.proto.service.prompting.PromptRequest;
import dev.mutagenws.proto.service.prompting.PromptResponse;
import dev.mutagenws.proto.service.prompting.PromptingGrpc;
import dev.mutagenws.proto.service.synchronization.CreateRequest;
import dev.mutagenws.proto.service.synchronization.CreateResponse;
import dev.mutagenws.proto.service.synchronization.FlushRequest;
import dev.mutagenws.proto.service.synchronization.FlushResponse;
import dev.mutagenws.proto.service.synchronization.ListRequest;
import dev.mutagenws.proto.service.synchronization.ListResponse;
import dev.mutagenws.proto.service.synchronization.PauseRequest;
import dev.mutagenws.proto.service.synchronization.PauseResponse;
import dev.mutagenws.proto.service.synchronization.ResetRequest;
import dev.mutagenws.proto.service.synchronization.ResetResponse;
import dev.mutagenws.proto.service.synchronization.ResumeRequest;
import dev.mutagenws.proto.service.synchronization.ResumeResponse;
import dev.mutagenws.proto.service.synchronization.SynchronizationGrpc;
import dev.mutagenws.testkit.labels.Identifiers;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/** The three gRPC services; all behaviour lives in {@link Engine}. */
final class Services {
    private Services() {
    }

    /** A unary handler body that may fail with a daemon error. */
    interface Body<T> {
        T run() throws DaemonError;
    }

    /** Runs {@code body} after the fake daemon's latency and answers with its result or its daemon error. */
    static <T> void unary(FakeDaemon fake, StreamObserver<T> observer, Body<T> body) {
        fake.deferred(() -> {
            T result;
            try {
                result = body.run();
            } catch (DaemonError e) {
                Calls.fail(observer, e);
                return;
            }
            Calls.succeed(observer, result);
        });
    }

    static final class Daemon extends DaemonGrpc.DaemonImplBase {
        private final FakeDaemon fake;

        Daemon(FakeDaemon fake) {
            this.fake = fake;
        }

        @Override
        public void version(VersionRequest request, StreamObserver<VersionResponse> observer) {
            unary(fake, observer, () -> fake.engine().version);
        }

        @Override
        public void terminate(TerminateRequest request, StreamObserver<TerminateResponse> observer) {
            fake.deferred(() -> {
                Calls.succeed(observer, TerminateResponse.getDefaultInstance());
                fake.stopSoon(); // Reply first; the hard stop follows asynchronously.
            });
        }
    }

    static final class Prompting extends PromptingGrpc.PromptingImplBase {
        private final FakeDaemon fake;

        Prompting(FakeDaemon fake) {
            this.fake = fake;
        }

        @Override
        public StreamObserver<HostRequest> host(StreamObserver<HostResponse> responseObserver) {
            ServerCallStreamObserver<HostResponse> out = (ServerCallStreamObserver<HostResponse>) responseObserver;
            Prompters prompters = fake.engine().prompters;
            Object[] state = new Object[1]; // HostedPrompter once registered, or Boolean.FALSE after a failed start
            Runnable end = () -> {
                HostedPrompter p;
                synchronized (state) {
                    p = state[0] instanceof HostedPrompter h ? h : null;
                }
                if (p != null) {
                    p.cancelled();
                    prompters.unregister(p);
                }
            };
            // Hosting ends only when the client cancels (a half-close does not end it).
            out.setOnCancelHandler(end::run);
            return new StreamObserver<>() {
                @Override
                public void onNext(HostRequest request) {
                    HostedPrompter p;
                    synchronized (state) {
                        if (state[0] == Boolean.FALSE) {
                            return;
                        }
                        p = (HostedPrompter) state[0];
                        if (p == null) {
                            if (!request.getResponse().isEmpty()) {
                                state[0] = Boolean.FALSE;
                                fail(out, "received invalid initial request: unexpected response value on initial request");
                                return;
                            }
                            p = new HostedPrompter(Identifiers.newIdentifier("pmtr"), request.getAllowPrompts(), out);
                            state[0] = p;
                            // Registered before the identifier leaves, so a client can use it at once.
                            prompters.register(p);
                            synchronized (out) {
                                out.onNext(HostResponse.newBuilder().setIdentifier(p.identifier).build());
                            }
                            return;
                        }
                    }
                    p.received(request);
                }

                @Override
                public void onError(Throwable t) {
                    end.run();
                }

                @Override
                public void onCompleted() {
                    HostedPrompter p;
                    synchronized (state) {
                        if (state[0] == null) {
                            state[0] = Boolean.FALSE;
                            fail(out, "unable to receive initial request: EOF");
                            return;
                        }
                        p = state[0] instanceof HostedPrompter h ? h : null;
                    }
                    if (p != null) {
                        p.halfClosed();
                    }
                }
            };
        }

        private static void fail(ServerCallStreamObserver<HostResponse> out, String text) {
            synchronized (out) {
                Calls.fail(out, new DaemonError(text));
            }
        }

        @Override
        public void prompt(PromptRequest request, StreamObserver<PromptResponse> observer) {
            Prompters prompters = fake.engine().prompters;
            unary(fake, observer, () -> {
                if (request.getPrompter().isEmpty()) {
                    throw new DaemonError("invalid prompt request: empty prompter identifier");
                }
                try {
                    return PromptResponse.newBuilder()
                            .setResponse(prompters.prompt(request.getPrompter(), request.getPrompt())).build();
                } catch (PromptError e) {
                    if (e.getMessage().equals("prompter not found")) {
                        throw new DaemonError("unable to prompt: prompter not found");
                    }
                    throw new DaemonError("unable to prompt: unable to prompt: " + e.getMessage());
                }
            });
        }
    }

    static final class Synchronization extends SynchronizationGrpc.SynchronizationImplBase {
        private final FakeDaemon fake;

        Synchronization(FakeDaemon fake) {
            this.fake = fake;
        }

        @Override
        public void create(CreateRequest request, StreamObserver<CreateResponse> observer) {
            unary(fake, observer, () -> CreateResponse.newBuilder().setSession(fake.engine().create(request)).build());
        }

        @Override
        public void list(ListRequest request, StreamObserver<ListResponse> observer) {
            ServerCallStreamObserver<ListResponse> call = (ServerCallStreamObserver<ListResponse>) observer;
            CallCancellation cancellation = CallCancellation.install(call);
            fake.countList(request);
            fake.deferred(() -> fake.engine().list(request, call, cancellation));
        }

        @Override
        public void flush(FlushRequest r, StreamObserver<FlushResponse> observer) {
            unary(fake, observer, () -> {
                fake.engine().flush(r.getPrompter(), r.hasSelection(), r.getSelection(), r.getSkipWait());
                return FlushResponse.getDefaultInstance();
            });
        }

        @Override
        public void pause(PauseRequest r, StreamObserver<PauseResponse> observer) {
            unary(fake, observer, () -> {
                fake.engine().pause(r.getPrompter(), r.hasSelection(), r.getSelection());
                return PauseResponse.getDefaultInstance();
            });
        }

        @Override
        public void resume(ResumeRequest r, StreamObserver<ResumeResponse> observer) {
            unary(fake, observer, () -> {
                fake.engine().resume(r.getPrompter(), r.hasSelection(), r.getSelection());
                return ResumeResponse.getDefaultInstance();
            });
        }

        @Override
        public void reset(ResetRequest r, StreamObserver<ResetResponse> observer) {
            unary(fake, observer, () -> {
                fake.engine().reset(r.getPrompter(), r.hasSelection(), r.getSelection());
                return ResetResponse.getDefaultInstance();
            });
        }

        @Override
        // qualified: the daemon service's TerminateRequest and TerminateResponse are imported above
        public void terminate(dev.mutagenws.proto.service.synchronization.TerminateRequest r,
                StreamObserver<dev.mutagenws.proto.service.synchronization.TerminateResponse> observer) {
            unary(fake, observer, () -> {
                fake.engine().terminate(r.getPrompter(), r.hasSelection(), r.getSelection());
                // qualified: as above
                return dev.mutagenws.proto.service.synchronization.TerminateResponse.getDefaultInstance();
            });
        }
    }
}
