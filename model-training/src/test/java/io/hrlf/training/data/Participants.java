package io.hrlf.training.data;

/** Test views of a dataset's participants (its videos), for checks of scoring with and without context. */
public final class Participants {
    private Participants() {}

    /** The same rows, each a participant of its own: a model with context scores every row without context. */
    public static MultimodalDataset eachRowAlone(MultimodalDataset data) {
        String[] videos = new String[data.size()];
        for (int row = 0; row < videos.length; row++) {
            videos[row] = "alone-" + row;
        }
        return new MultimodalDataset(data.steps(), data.dims(), data.allValues(), data.allMasks(), data.labels(), videos,
                data.description());
    }
}
