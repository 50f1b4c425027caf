package dev.warden.jmh.springapp;

/** One row of the greetings table. */
public record Greeting(String language, String text) {
}
