/**
 * The YAML configuration: parsed once into immutable, validated records ({@link
 * dev.vigil.config.VigilConfig} and its sections), unknown keys refused, every error reported at
 * once with its YAML path, {@code ${VAR}} substitution.
 *
 * <p>Depends on {@code attest} (keys) and {@code score} (rules) for the values it builds; no I/O
 * beyond reading the files named in the configuration, no Vert.x.
 */
package dev.vigil.config;
