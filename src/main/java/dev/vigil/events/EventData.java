package dev.vigil.events;

/** The {@code data} of a CloudEvent of events-v1: one record per event type. */
public sealed interface EventData permits BreachData, RollbackFinished, RolloutData {}
