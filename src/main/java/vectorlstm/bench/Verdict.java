package vectorlstm.bench;

/** The outcome of one benchmark in a comparison. */
public enum Verdict {
    /** Better beyond the threshold, and significant (p &lt; 0.01). */
    FASTER,
    /** Worse beyond the threshold, and significant (p &lt; 0.01): what fails a CI build. */
    SLOWER,
    /** Anything else: within the threshold, or a difference the samples cannot tell from noise. */
    SAME
}
