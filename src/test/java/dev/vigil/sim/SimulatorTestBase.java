package dev.vigil.sim;

import static dev.vigil.sim.SimHarness.await;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** One strict Vert.x per test class, a fresh simulator on ephemeral ports per test. */
abstract class SimulatorTestBase {
  static Vertx vertx;
  FleetSimulator sim;

  @BeforeAll
  static void startVertx() {
    vertx = SimHarness.vertx();
  }

  @AfterAll
  static void closeVertx() throws Exception {
    await(vertx.close());
  }

  /** The options of the simulator each test gets. */
  SimulatorOptions options() {
    return SimHarness.options();
  }

  @BeforeEach
  void startSimulator() throws Exception {
    sim = await(FleetSimulator.start(vertx, options()));
  }

  @AfterEach
  void stopSimulator() throws Exception {
    await(sim.stop());
  }
}
