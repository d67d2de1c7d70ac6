package dev.mutagenws.testkit;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Tells BlockHound about a lock inside Netty itself: Netty 4.2's adaptive buffer allocator briefly
 * takes a {@code StampedLock} when it grows or frees a magazine, on whatever event loop allocates.
 * That is by Netty's design, not a blocking call of ours; without this allowance BlockHound fails the
 * read in progress and a test loses frames. Likewise the JDK's scheduled executor (under Reactor's timers)
 * takes its queue lock for a moment when a timer is cancelled on an event loop (a stream's keep-alive ending
 * with its connection); contended, BlockHound reports that park. Loaded through {@code ServiceLoader} when
 * BlockHound is installed; inert otherwise.
 */
public final class NettyAllocatorAllowances implements BlockHoundIntegration {
    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup", "tryExpandMagazines");
        builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$Magazine", "free");
        builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$Magazine", "allocate");
        builder.allowBlockingCallsInside("java.util.concurrent.ScheduledThreadPoolExecutor$DelayedWorkQueue", "remove");
    }
}
