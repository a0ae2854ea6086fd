package io.recur.backend;

import java.util.List;

/**
 * Whether a backend can be used on this machine and, if not, why (in words a user can act on).
 * details holds extra lines for `recur info` (device name, driver, memory...).
 */
public record BackendStatus(String name, boolean available, String reason, List<String> details) {
    public static BackendStatus available(String name, List<String> details) {
        return new BackendStatus(name, true, "", List.copyOf(details));
    }

    public static BackendStatus unavailable(String name, String reason) {
        return new BackendStatus(name, false, reason, List.of());
    }
}
