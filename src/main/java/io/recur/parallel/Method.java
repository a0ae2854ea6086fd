package io.recur.parallel;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The Newton-type solvers for a whole trajectory (Lim et al. 2023; Gonzalez et al. 2024). Every
 * iteration linearizes the cell around the current guess and solves the linear recurrence
 * h_t = J_t h_{t-1} + (f_t − J_t h̃_{t-1}) in parallel over time:
 * <ul>
 * <li>DEER: the full Jacobian, a dense matrix scan (n ≤ 32); exact Newton.</li>
 * <li>QUASI_DEER: diag(J) only, a diagonal scan; O(T·n) work and memory.</li>
 * <li>ELK: DEER's step with Levenberg–Marquardt damping, solved as a Kalman smoother.</li>
 * <li>QUASI_ELK: quasi-DEER's step with the same damping, a scalar smoother per channel.</li>
 * </ul>
 */
public enum Method {
    DEER(JacobianKind.FULL, false), QUASI_DEER(JacobianKind.DIAGONAL, false),
    ELK(JacobianKind.FULL, true), QUASI_ELK(JacobianKind.DIAGONAL, true);

    private final JacobianKind jacobian;
    private final boolean damped;

    Method(JacobianKind jacobian, boolean damped) {
        this.jacobian = jacobian;
        this.damped = damped;
    }

    public JacobianKind jacobian() { return jacobian; }

    /** Whether the step is damped (ELK, quasi-ELK). */
    public boolean damped() { return damped; }

    /** The name users type: deer, quasi-deer, elk, quasi-elk. */
    public String key() { return name().toLowerCase(Locale.ROOT).replace('_', '-'); }

    /** From {@link #key()}, case-insensitive. */
    public static Method parse(String key) {
        for (Method m : values()) if (m.key().equalsIgnoreCase(key.strip())) return m;
        throw new IllegalArgumentException("unknown parallel evaluation method '" + key + "'; use one of "
                + Arrays.stream(values()).map(Method::key).collect(Collectors.joining(", ")));
    }
}
