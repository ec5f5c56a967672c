package io.hrlf.demo;

import io.hrlf.contract.Modality;
import io.hrlf.contract.ParticipantKey;
import io.hrlf.training.data.SyntheticDataset;
import java.util.Random;

/**
 * One simulated call participant: a slowly drifting true sentiment and, per modality, a personal
 * style; frames are drawn with the same generative process the demo model is trained on.
 */
final class SimulatedParticipant {
    final String callId;
    final String participantId;
    private final double periodSeconds;
    private final double phase;
    private final float[][] style = new float[3][];

    SimulatedParticipant(String callId, String participantId, int[] dims, Random random) {
        this.callId = callId;
        this.participantId = participantId;
        this.periodSeconds = 40 + random.nextDouble() * 60;
        this.phase = random.nextDouble() * 2 * Math.PI;
        for (Modality m : Modality.ALL) {
            style[m.ordinal()] = SyntheticDataset.style(dims[m.ordinal()], SyntheticDataset.DEFAULT_NUISANCE, random);
        }
    }

    /** The sentiment the participant "feels" at a time, in [-2.5, 2.5]. */
    float trueSentiment(long epochMillis) {
        return (float) (2.5 * Math.sin(2 * Math.PI * (epochMillis / 1000.0) / periodSeconds + phase));
    }

    float[] style(Modality m) {
        return style[m.ordinal()];
    }

    String key() {
        return new ParticipantKey(callId, participantId).toString();
    }
}
