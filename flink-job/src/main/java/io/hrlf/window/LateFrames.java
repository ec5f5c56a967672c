package io.hrlf.window;

import io.hrlf.contract.ParticipantKey;

/**
 * Frames of one chunk that arrived after every window they belong to was closed for good (past the
 * allowed lateness). Those windows were scored without them. A Flink POJO for the late side output.
 */
public class LateFrames {
    public String callId;
    public String participantId;
    public String modality;
    public int frames;
    public long firstFrameStartMillis;
    public long lastFrameEndMillis;
    /** The watermark when they arrived. */
    public long watermarkMillis;

    public LateFrames() {}

    @Override
    public String toString() {
        return "LateFrames{" + callId + ParticipantKey.SEPARATOR + participantId + ' ' + modality + " x" + frames + " ["
                + firstFrameStartMillis + ", " + lastFrameEndMillis + ") at watermark " + watermarkMillis + '}';
    }
}
