package io.recur.nn.mamba;

/**
 * The mixer's settings as mamba_ssm's Mamba(**ssm_cfg) takes them. dtRank null means "auto",
 * ceil(d_model / 16). selective false is this project's LTI ablation (Δ, B, C fixed per channel
 * rather than computed from the input; Mamba paper §4.1), not a mamba_ssm option: it is written
 * to config.json only when false, so a selective model's config stays loadable by mamba_ssm.
 */
public record SsmConfig(int dState, int dConv, int expand, Integer dtRank, double dtMin, double dtMax, double dtInitFloor,
                        double dtScale, boolean convBias, boolean bias, boolean selective) {
    public SsmConfig {
        if (dState < 1) throw new IllegalArgumentException("ssm_cfg.d_state must be >= 1, got " + dState);
        if (dConv < 2 || dConv > 4) throw new IllegalArgumentException("ssm_cfg.d_conv must be 2, 3 or 4 (the causal conv kernel's widths), got " + dConv);
        if (expand < 1) throw new IllegalArgumentException("ssm_cfg.expand must be >= 1, got " + expand);
        if (dtRank != null && dtRank < 1) throw new IllegalArgumentException("ssm_cfg.dt_rank must be >= 1 or \"auto\", got " + dtRank);
        if (!(0 < dtMin && dtMin <= dtMax)) throw new IllegalArgumentException("ssm_cfg needs 0 < dt_min <= dt_max, got " + dtMin + ", " + dtMax);
        if (!(dtInitFloor > 0)) throw new IllegalArgumentException("ssm_cfg.dt_init_floor must be > 0, got " + dtInitFloor);
        if (!(dtScale > 0)) throw new IllegalArgumentException("ssm_cfg.dt_scale must be > 0, got " + dtScale);
    }

    /** mamba_ssm's defaults. */
    public static SsmConfig defaults() { return new SsmConfig(16, 4, 2, null, 0.001, 0.1, 1e-4, 1.0, true, false, true); }

    public SsmConfig withDState(int n) { return new SsmConfig(n, dConv, expand, dtRank, dtMin, dtMax, dtInitFloor, dtScale, convBias, bias, selective); }

    public SsmConfig withDtRank(Integer r) { return new SsmConfig(dState, dConv, expand, r, dtMin, dtMax, dtInitFloor, dtScale, convBias, bias, selective); }

    public SsmConfig withSelective(boolean s) { return new SsmConfig(dState, dConv, expand, dtRank, dtMin, dtMax, dtInitFloor, dtScale, convBias, bias, s); }

    public SsmConfig withBias(boolean b) { return new SsmConfig(dState, dConv, expand, dtRank, dtMin, dtMax, dtInitFloor, dtScale, convBias, b, selective); }

    /** dt_rank for a model of width dModel. */
    public int resolvedDtRank(int dModel) { return dtRank != null ? dtRank : (dModel + 15) / 16; }
}
