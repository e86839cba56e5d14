package dev.gridhouse.dws;

import dev.gridhouse.core.ops.LookupJoinOptions;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;

/** Settings of the DWS layer, read from {@link DwsOptions}. */
public final class DwsSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    public final Duration outOfOrderness;
    public final Duration allowedLateness;
    public final Duration idleness;
    public final Duration dedupStateTtl;
    public final LookupJoinOptions lookup;
    public final LookupMode lookupMode;
    public final Duration mirrorLoadTimeout;
    public final int parallelism;

    public DwsSettings(
            Duration outOfOrderness,
            Duration allowedLateness,
            Duration idleness,
            Duration dedupStateTtl,
            LookupJoinOptions lookup,
            LookupMode lookupMode,
            Duration mirrorLoadTimeout,
            int parallelism) {
        if (outOfOrderness.isNegative() || allowedLateness.isNegative()) {
            throw new IllegalArgumentException(
                    "Out-of-orderness and allowed lateness must be 0 or more, were "
                            + outOfOrderness
                            + " and "
                            + allowedLateness);
        }
        this.outOfOrderness = outOfOrderness;
        this.allowedLateness = allowedLateness;
        this.idleness = idleness;
        this.dedupStateTtl = dedupStateTtl;
        this.lookup = lookup;
        this.lookupMode = lookupMode;
        this.mirrorLoadTimeout = mirrorLoadTimeout;
        this.parallelism = parallelism;
    }

    public static DwsSettings from(Configuration conf, int parallelism) {
        LookupMode mode = conf.get(DwsOptions.LOOKUP_MODE);
        LookupJoinOptions.Builder lookup =
                LookupJoinOptions.builder()
                        .capacity(conf.get(DwsOptions.LOOKUP_CAPACITY))
                        .ordered(conf.get(DwsOptions.LOOKUP_ORDERED))
                        .timeout(conf.get(DwsOptions.LOOKUP_TIMEOUT))
                        .maxRetries(conf.get(DwsOptions.LOOKUP_MAX_RETRIES));
        if (mode == LookupMode.CACHE) {
            lookup.cache(
                    conf.get(DwsOptions.LOOKUP_CACHE_MAX_ROWS),
                    conf.get(DwsOptions.LOOKUP_CACHE_TTL));
        }
        return new DwsSettings(
                conf.get(DwsOptions.OUT_OF_ORDERNESS),
                conf.get(DwsOptions.ALLOWED_LATENESS),
                conf.get(DwsOptions.IDLENESS),
                conf.get(DwsOptions.DEDUP_STATE_TTL),
                lookup.build(),
                mode,
                conf.get(DwsOptions.MIRROR_LOAD_TIMEOUT),
                parallelism);
    }
}
