package io.recur.backend;

/** How {@link Backend#inverseRoots} computes an inverse p-th root of a symmetric matrix. */
public enum RootMethod {
    /**
     * The coupled Newton iteration (Higham, Functions of Matrices 7.18; as in Anil et al. 2021):
     * only matrix products, fast and stable for well-conditioned factors.
     */
    COUPLED_NEWTON,
    /** Q diag(λ^{-1/p}) Qᵀ from a cyclic Jacobi eigendecomposition: slower, robust when ill-conditioned. */
    EIGEN
}
