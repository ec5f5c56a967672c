package io.hrlf.training.train;

/** The regression loss on the sentiment score (the teacher's and the student's task term). */
public enum TaskLoss {
    /** Mean squared error: the paper's choice for MOSI. */
    MSE,
    /** Mean absolute error: what MOSI is scored by (MAE) and what MulT-style code trains with. */
    L1
}
