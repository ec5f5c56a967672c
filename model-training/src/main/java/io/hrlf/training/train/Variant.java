package io.hrlf.training.train;

/** The ablation variants; all are trained by the same code with parts switched off. */
public enum Variant {
    /** Teacher + student with FRF, HMI, HAL and distillation. */
    FULL("full", true, true, true, true, true, true),
    NO_FRF("no-frf", true, false, true, true, true, true),
    NO_HMI("no-hmi", true, true, false, true, true, true),
    NO_HAL("no-hal", true, true, true, false, true, true),
    NO_KD("no-kd", true, true, true, true, false, true),
    /** The student alone with the MSM inputs: no teacher, task loss only. */
    DROPOUT("dropout", false, false, false, false, false, true),
    /** The student alone on complete data: no teacher, no missingness. */
    PLAIN("plain", false, false, false, false, false, false);

    private final String cliName;
    private final boolean teacher;
    private final boolean frf;
    private final boolean hmi;
    private final boolean hal;
    private final boolean kd;
    private final boolean missingness;

    Variant(String cliName, boolean teacher, boolean frf, boolean hmi, boolean hal, boolean kd, boolean missingness) {
        this.cliName = cliName;
        this.teacher = teacher;
        this.frf = frf;
        this.hmi = hmi;
        this.hal = hal;
        this.kd = kd;
        this.missingness = missingness;
    }

    public String cliName() {
        return cliName;
    }

    public boolean hasTeacher() {
        return teacher;
    }

    public boolean usesFrf() {
        return frf;
    }

    public boolean usesHmi() {
        return hmi;
    }

    public boolean usesHal() {
        return hal;
    }

    public boolean usesKd() {
        return kd;
    }

    /** Whether the student trains on MSM-degraded inputs. */
    public boolean usesMissingness() {
        return missingness;
    }

    public static Variant fromCliName(String name) {
        for (Variant v : values()) {
            if (v.cliName.equals(name)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown variant '" + name + "'; one of full, no-frf, no-hmi, no-hal, "
                + "no-kd, dropout, plain");
    }

    @Override
    public String toString() {
        return cliName;
    }
}
