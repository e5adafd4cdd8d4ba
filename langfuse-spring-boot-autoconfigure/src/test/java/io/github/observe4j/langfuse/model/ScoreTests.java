package io.github.observe4j.langfuse.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link Score}: a value that does not fit the data type is refused where the score
 * is made; a NaN is data and is left for the exporter to drop and count.
 */
class ScoreTests {

	@Test
	void factoriesMakeScoresThatFitTheirType() {
		assertThat(Score.numeric("relevance", 0.5).numericValue()).isEqualTo(0.5);
		assertThat(Score.categorical("tone", "friendly").stringValue()).isEqualTo("friendly");
		assertThat(Score.bool("helpful", true).numericValue()).isEqualTo(1.0);
		assertThat(Score.numeric("broken", Double.NaN).numericValue()).isNaN();
	}

	@Test
	void aValueThatDoesNotFitTheTypeIsRefusedWithTheScoreName() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Score("tone", ScoreDataType.CATEGORICAL, 1.0, null, null, null, null))
			.withMessage("Categorical score 'tone' needs a string value and no numeric value");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Score("tone", ScoreDataType.CATEGORICAL, 1.0, "friendly", null, null, null));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Score("relevance", ScoreDataType.NUMERIC, null, "high", null, null, null))
			.withMessage("Score 'relevance' of type NUMERIC needs a numeric value and no string value");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Score("helpful", ScoreDataType.BOOLEAN, 0.5, null, null, null, null))
			.withMessage("Boolean score 'helpful' must be 0 or 1, was 0.5");
		assertThatIllegalArgumentException().isThrownBy(() -> Score.numeric(" ", 1));
	}

	@Test
	void copiesKeepTheValue() {
		Score score = Score.categorical("tone", "dry").withComment("c").withId("id-1").withConfigId("cfg");
		assertThat(score).isEqualTo(new Score("tone", ScoreDataType.CATEGORICAL, null, "dry", "c", "id-1", "cfg"));
	}

}
