package dev.vigil.cli;

import dev.vigil.attest.Scheme;
import dev.vigil.config.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import picocli.CommandLine;

/** picocli converters whose errors say what is accepted. */
final class Converters {
  private Converters() {}

  static final class Rfc3339 implements CommandLine.ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
      try {
        return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
      } catch (DateTimeParseException e) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is not an RFC 3339 time such as 2026-11-26T18:00:00Z");
      }
    }
  }

  static final class HumanDuration implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return Durations.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  static final class SchemeName implements CommandLine.ITypeConverter<Scheme> {
    @Override
    public Scheme convert(String value) {
      try {
        return Scheme.fromWireName(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
