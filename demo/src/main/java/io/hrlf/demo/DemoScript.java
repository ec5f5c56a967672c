package io.hrlf.demo;

import io.hrlf.contract.Modality;

/**
 * What goes wrong in the demo's calls, in seconds since the start. Participant 0 of call 1 has a
 * camera that freezes, participant 1 of call 1 a microphone that drops out, participant 0 of call 2
 * a transcript that arrives too late to be used, and participant 1 of call 2 leaves early.
 */
final class DemoScript {
    static final long CAMERA_FREEZE_FROM = 20;
    static final long CAMERA_FREEZE_TO = 45;
    static final long MICROPHONE_DROP_FROM = 30;
    static final long MICROPHONE_DROP_TO = 50;
    /** The transcript of the late participant lags by more than the watermark delay + allowed lateness. */
    static final long TRANSCRIPT_DELAY_SECONDS = 8;
    static final long LEAVES_AT = 60;

    private DemoScript() {}

    /** Whether a participant's modality produces frames at second {@code t} of the demo. */
    static boolean sends(int call, int participant, Modality m, long t) {
        if (call == 1 && participant == 0 && m == Modality.VISION) {
            return t < CAMERA_FREEZE_FROM || t >= CAMERA_FREEZE_TO;
        }
        if (call == 1 && participant == 1 && m == Modality.AUDIO) {
            return t < MICROPHONE_DROP_FROM || t >= MICROPHONE_DROP_TO;
        }
        if (call == 2 && participant == 1) {
            return t < LEAVES_AT;
        }
        return true;
    }

    static boolean transcriptLate(int call, int participant) {
        return call == 2 && participant == 0;
    }

    static String describe(int call, int participant) {
        if (call == 1 && participant == 0) {
            return "camera freezes " + CAMERA_FREEZE_FROM + "-" + CAMERA_FREEZE_TO + " s";
        }
        if (call == 1 && participant == 1) {
            return "microphone drops " + MICROPHONE_DROP_FROM + "-" + MICROPHONE_DROP_TO + " s";
        }
        if (call == 2 && participant == 0) {
            return "transcript " + TRANSCRIPT_DELAY_SECONDS + " s late";
        }
        if (call == 2 && participant == 1) {
            return "leaves at " + LEAVES_AT + " s";
        }
        return "all streams fine";
    }
}
