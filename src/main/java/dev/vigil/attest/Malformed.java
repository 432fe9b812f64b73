package dev.vigil.attest;

/** Input that is not what the contract says; caught inside this package and turned into a verdict. */
final class Malformed extends Exception {
  private static final long serialVersionUID = 1L;

  Malformed(String message) {
    super(message, null, false, false);
  }
}
