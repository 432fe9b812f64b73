package dev.vigil.rollback;

/**
 * A successful switch. Immutable.
 *
 * @param weights the weights now in effect for the service
 * @param changed false when the service already sent all traffic to blue (nothing written)
 * @param detail what was changed, e.g. {@code VirtualService acgs/acgs-routes route integrity-service}
 */
public record ActuationResult(Weights weights, boolean changed, String detail) {}
