package io.recur.backend.cuda;

/** A failed driver call, carrying the CUDA error name (CUDA_ERROR_...) when there is one. */
public class CudaDriverException extends RuntimeException {
    private final String errorName;

    public CudaDriverException(String message, String errorName, Throwable cause) {
        super(message, cause);
        this.errorName = errorName == null ? "" : errorName;
    }

    public CudaDriverException(String message, String errorName) { this(message, errorName, null); }

    /** The CUDA error name, e.g. CUDA_ERROR_OUT_OF_MEMORY; empty when not from the driver. */
    public String errorName() { return errorName; }

    public boolean isOutOfMemory() { return errorName.equals("CUDA_ERROR_OUT_OF_MEMORY"); }
}
