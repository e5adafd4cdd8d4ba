package io.github.observe4j.langfuse.sample.story;

/**
 * A fable found for a topic.
 *
 * @param title title of the fable
 * @param moral its moral, which the story may borrow
 * @param relevance how many words it shares with the topic
 */
public record Inspiration(String title, String moral, int relevance) {

}
