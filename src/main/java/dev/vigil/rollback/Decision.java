package dev.vigil.rollback;

import java.util.List;

/**
 * What the guards decided for one breach: act, or skip for a reason. Immutable.
 *
 * @param skip the reason, or null to act
 * @param detail for a skip, starts with the reason's label (events-v1); for an act, a short note
 * @param dependants services that depend on a critical service about to be rolled back (empty otherwise)
 */
public record Decision(SkipReason skip, String detail, List<String> dependants) {
  public Decision {
    dependants = List.copyOf(dependants);
  }

  static Decision act(String detail, List<String> dependants) {
    return new Decision(null, detail, dependants);
  }

  static Decision skip(SkipReason reason, String why) {
    return new Decision(reason, reason.detail(why), List.of());
  }

  public boolean acts() {
    return skip == null;
  }
}
