package io.wellwatch.security;

import io.wellwatch.fault.LogCapture;

/** Collects the lines of the real audit logger while a test runs. */
final class AuditCapture extends LogCapture {

    AuditCapture() {
        super(Audit.LOGGER_NAME);
    }
}
