package dev.lifeboat.restore;

/** One way a restored database differs from what the backup says it holds; quotes both sides. */
public record Difference(String kind, String object, String expected, String actual) {
    @Override
    public String toString() {
        return kind + " " + object + ": backup has " + expected + ", restored has " + actual;
    }
}
