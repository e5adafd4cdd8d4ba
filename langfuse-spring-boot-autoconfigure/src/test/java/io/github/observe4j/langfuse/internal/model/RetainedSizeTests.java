package io.github.observe4j.langfuse.internal.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.github.observe4j.langfuse.model.Score;
import io.github.observe4j.langfuse.testsupport.TestObservationRecord;
import org.junit.jupiter.api.Test;

import static io.github.observe4j.langfuse.internal.model.RetainedSize.ENTRY_OVERHEAD;
import static io.github.observe4j.langfuse.internal.model.RetainedSize.OBSERVATION_OVERHEAD;
import static io.github.observe4j.langfuse.internal.model.RetainedSize.SCORE_OVERHEAD;
import static io.github.observe4j.langfuse.internal.model.RetainedSize.SMALL_VALUE;
import static io.github.observe4j.langfuse.internal.model.RetainedSize.TEXT_OVERHEAD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RetainedSize}.
 */
class RetainedSizeTests {

	/** The estimate of an observation named "test" with nothing else set. */
	private static final long BARE = OBSERVATION_OVERHEAD + TEXT_OVERHEAD + 2 * "test".length();

	@Test
	void aBareObservationCountsItsFixedOverheadAndName() {
		assertThat(TestObservationRecord.span().retainedBytes()).isEqualTo(BARE);
	}

	@Test
	void textCountsTwoBytesPerCharacterWhateverItsEncoding() {
		String latin1 = "a".repeat(1_000_000);
		String utf16 = "\u20ac".repeat(1_000_000);
		long expected = BARE + TEXT_OVERHEAD + 2_000_000;
		assertThat(TestObservationRecord.span().input(latin1).retainedBytes()).isEqualTo(expected);
		assertThat(TestObservationRecord.span().output(utf16).retainedBytes()).isEqualTo(expected);
	}

	@Test
	void jsonTextAndCapturedArgumentsCountTheirText() {
		JsonText json = new JsonText("{\"a\":1}");
		assertThat(TestObservationRecord.span().output(json).retainedBytes())
			.isEqualTo(BARE + SMALL_VALUE + TEXT_OVERHEAD + 2 * 7);
		CapturedArguments arguments = new CapturedArguments(new String[] { "question", "limit", "filter" },
				new Object[] { "why?", 3, json });
		long values = (TEXT_OVERHEAD + 2 * 4) + SMALL_VALUE + (SMALL_VALUE + TEXT_OVERHEAD + 2 * 7);
		assertThat(TestObservationRecord.span().input(arguments).retainedBytes())
			.isEqualTo(BARE + SMALL_VALUE + 3 * SMALL_VALUE + values);
	}

	@Test
	void aRecordKeptAsItIsCountsTheTextOfItsComponents() {
		Reply reply = new Reply("x".repeat(500_000), 42, Instant.EPOCH);
		// the record, then per reference component its slot and value; the int adds nothing
		long expected = SMALL_VALUE + (SMALL_VALUE + TEXT_OVERHEAD + 1_000_000) + (SMALL_VALUE + SMALL_VALUE);
		assertThat(TestObservationRecord.span().output(reply).retainedBytes()).isEqualTo(BARE + expected);
	}

	@Test
	void metadataAndGenerationFieldsCountEachEntry() {
		TestObservationRecord record = TestObservationRecord.span()
			.metadata("k", "v".repeat(100))
			.model("gpt")
			.usage("input", 10);
		long metadata = SMALL_VALUE + ENTRY_OVERHEAD + (TEXT_OVERHEAD + 2) + (TEXT_OVERHEAD + 200);
		long usage = SMALL_VALUE + ENTRY_OVERHEAD + (TEXT_OVERHEAD + 2 * 5) + SMALL_VALUE;
		assertThat(record.retainedBytes()).isEqualTo(BARE + metadata + (TEXT_OVERHEAD + 2 * 3) + usage);
	}

	@Test
	void nestingDeeperThanFourLevelsCountsAsASmallValue() {
		Object deep = List.of(List.of(List.of(List.of(List.of("x".repeat(1000))))));
		long size = TestObservationRecord.span().input(deep).retainedBytes() - BARE;
		// four lists with one element each, then the fifth list counted as a small value
		assertThat(size).isEqualTo(4 * (SMALL_VALUE + SMALL_VALUE) + SMALL_VALUE);
	}

	@Test
	void theEstimateNeverChangesForTheSameRecord() {
		TestObservationRecord record = TestObservationRecord.span().input(Map.of("a", "b")).output("out");
		assertThat(record.retainedBytes()).isEqualTo(record.retainedBytes());
	}

	@Test
	void aScoreCountsItsTexts() {
		ScoreRecord score = new ScoreRecord(Score.categorical("quality", "good").withComment("c".repeat(1000)),
				"0".repeat(32), null, "prod");
		long ids = (TEXT_OVERHEAD + 64) + (TEXT_OVERHEAD + 8) + (TEXT_OVERHEAD + 2 * score.score().id().length());
		long texts = (TEXT_OVERHEAD + 14) + (TEXT_OVERHEAD + 8) + (TEXT_OVERHEAD + 2000);
		assertThat(score.retainedBytes()).isEqualTo(SCORE_OVERHEAD + ids + texts);
	}

	private record Reply(String text, int tokens, Instant at) {
	}

}
