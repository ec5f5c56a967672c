package io.hrlf.demo;

import java.util.List;
import picocli.CommandLine.Option;

/** How many calls the simulator runs and for how long: the same options for the live demo and {@code simulate}. */
final class SimulatedCalls {
    /** The same callers with the same scripted failures on every run, so runs can be compared. */
    private static final long SEED = 42;
    /** "Until stopped": a span no run reaches, that still fits the simulator's millisecond arithmetic. */
    private static final long UNTIL_STOPPED_SECONDS = Long.MAX_VALUE / 2000;

    @Option(names = "--calls", defaultValue = "3", description = "Concurrent calls (default ${DEFAULT-VALUE})")
    int calls;
    @Option(names = "--participants", defaultValue = "2", description = "Participants per call (default ${DEFAULT-VALUE})")
    int participantsPerCall;
    @Option(names = "--duration", defaultValue = "0",
            description = "Seconds of simulated calls; 0 runs until stopped, e.g. by Ctrl-C (default ${DEFAULT-VALUE})")
    long durationSeconds;

    /** The participants of each call, sending features of the model's dimensions. */
    List<List<SimulatedParticipant>> participants(int[] dims) {
        return CallSimulator.participants(calls, participantsPerCall, dims, SEED);
    }

    long seconds() {
        return durationSeconds > 0 ? durationSeconds : UNTIL_STOPPED_SECONDS;
    }
}
