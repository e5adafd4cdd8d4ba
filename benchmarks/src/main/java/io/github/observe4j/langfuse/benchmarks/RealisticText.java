package io.github.observe4j.langfuse.benchmarks;

import java.util.SplittableRandom;

/**
 * Varied text of the size an LLM call has: prompts of about 2 KB and answers of about 1 KB,
 * made once from a vocabulary with a fixed seed, so that runs compare, and varied enough that
 * compression meets text rather than one repeated string.
 */
final class RealisticText {

	static final int VARIANTS = 256;

	private static final String[] WORDS = ("the a of to and in is that for it as with was on be by this are at from"
			+ " or have an they which one you were her all she there would their we him been has when who will more"
			+ " no if out so said what up its about into than them can only other new some could time these two may"
			+ " then do first any my now such like our over man me even most made after also did many before must"
			+ " through back years where much your way well down should because each just those people how too"
			+ " little state good very make world still own see men work long get here between both life being under"
			+ " never day same another know while last might us great old year off come since against go came right"
			+ " used take three fox harbour sail wind boat river model token context retrieval answer question user"
			+ " assistant system document summary customer order invoice refund policy shipping delivery account"
			+ " password support ticket priority escalation résumé naïve café déjà")
		.split(" ");

	private static final String[] PROMPTS = new String[VARIANTS];

	private static final String[] ANSWERS = new String[VARIANTS];

	static {
		SplittableRandom random = new SplittableRandom(4711);
		for (int i = 0; i < VARIANTS; i++) {
			PROMPTS[i] = "You are a helpful assistant. Answer using the context below.\nContext:\n"
					+ sentences(random, 1900) + "\nQuestion: " + sentences(random, 120);
			ANSWERS[i] = sentences(random, 1024);
		}
	}

	private RealisticText() {
	}

	static String prompt(int variant) {
		return PROMPTS[variant];
	}

	static String answer(int variant) {
		return ANSWERS[variant];
	}

	private static String sentences(SplittableRandom random, int chars) {
		StringBuilder text = new StringBuilder(chars + 16);
		boolean start = true;
		while (text.length() < chars) {
			String word = WORDS[random.nextInt(WORDS.length)];
			text.append(start ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : word);
			start = random.nextInt(12) == 0;
			text.append(start ? ". " : " ");
		}
		return text.toString();
	}

}
