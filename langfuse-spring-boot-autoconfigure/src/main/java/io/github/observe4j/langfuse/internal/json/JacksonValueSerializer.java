package io.github.observe4j.langfuse.internal.json;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.github.observe4j.langfuse.internal.model.ValueSerializer;
import io.github.observe4j.langfuse.internal.model.JsonText;
import io.github.observe4j.langfuse.internal.support.Failures;
import io.github.observe4j.langfuse.internal.support.JsonStrings;
import io.github.observe4j.langfuse.internal.support.TruncationMarker;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.StreamWriteConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/**
 * {@link ValueSerializer} backed by a private Jackson 3 mapper, never the application's one, so
 * that application settings cannot break tracing and tracing cannot change the application's
 * JSON. Work stops at the limits while the value is written, so a huge value costs what is
 * kept, not its whole size: the {@link StructureLimits} cut long strings, collections, maps and
 * arrays and deep nesting in place, with a {@link TruncationMarker} inside the JSON; binary
 * content becomes a size placeholder such as {@code "<byte[1048576]>"}; a cycle is marked where
 * it closes; and writing stops once the output reaches {@code maxChars}. The result is always
 * valid JSON. Values that cannot be serialized (failing getters) become a JSON string
 * placeholder. Bean properties are read through their getters (or record accessors), as
 * Jackson reads them; {@code toString()} is called only for the types Jackson writes as
 * strings. Thread-safe.
 *
 * @since 0.1.0
 */
public final class JacksonValueSerializer implements ValueSerializer {

	/** Appended to output cut at the size limit. */
	static final String TRUNCATION_MARKER = TruncationMarker.WITHOUT_LENGTH;

	/**
	 * Nesting deeper than this fails the value, well before the stack runs out: a backstop for
	 * nesting the {@link StructureLimits} do not see, such as Jackson's own tree nodes.
	 */
	static final int MAX_NESTING_DEPTH = 100;

	/** Bounds the memory used to remember which types were already reported. */
	static final int MAX_REPORTED_TYPES = 256;

	/** Failures are summed up in WARN lines of at most about this many characters. */
	static final int MAX_SUMMARY_LENGTH = 200;

	private static final Pattern WHITESPACE = Pattern.compile("\\s+");

	private static final Log logger = LogFactory.getLog(JacksonValueSerializer.class);

	/** Built on first use (or by {@link #prepare()}): a fresh mapper costs a cold JVM 150-600 ms. */
	private volatile @Nullable JsonMapper mapper;

	/** Why the mapper could not be built, once that failed for good (a broken Jackson on the class path). */
	private volatile @Nullable String mapperFailure;

	private final Object mapperLock = new Object();

	private final StructureLimits limits;

	private final Set<String> reportedTypes = ConcurrentHashMap.newKeySet();

	private final int maxReportedTypes;

	private final Function<StructureLimits, JsonMapper> mapperFactory;

	/**
	 * Create a serializer with its own mapper and the {@linkplain StructureLimits#DEFAULTS
	 * default limits}: empty beans allowed, {@code java.time} values as ISO-8601 strings,
	 * {@code Optional} unwrapped, {@link JsonText} embedded verbatim.
	 */
	public JacksonValueSerializer() {
		this(StructureLimits.DEFAULTS);
	}

	/**
	 * Create a serializer with its own mapper and the given limits.
	 * @param limits the limits applied while writing
	 */
	public JacksonValueSerializer(StructureLimits limits) {
		this(limits, MAX_REPORTED_TYPES);
	}

	JacksonValueSerializer(StructureLimits limits, int maxReportedTypes) {
		this(limits, maxReportedTypes, JacksonValueSerializer::createMapper);
	}

	// Visible for testing: a mapper factory that counts builds or fails
	JacksonValueSerializer(StructureLimits limits, int maxReportedTypes,
			Function<StructureLimits, JsonMapper> mapperFactory) {
		this.limits = limits;
		this.maxReportedTypes = maxReportedTypes;
		this.mapperFactory = mapperFactory;
	}

	/**
	 * Build the mapper now, so that the first value captured on an application thread does not
	 * wait for it. Never throws: a failure is logged once and every complex value becomes a
	 * placeholder.
	 */
	@Override
	public void prepare() {
		mapper();
	}

	boolean mapperBuilt() {
		return this.mapper != null;
	}

	/** The mapper, or {@code null} if it cannot be built. */
	private @Nullable JsonMapper mapper() {
		JsonMapper mapper = this.mapper;
		if (mapper != null || this.mapperFailure != null) {
			return mapper;
		}
		synchronized (this.mapperLock) {
			if (this.mapper == null && this.mapperFailure == null) {
				try {
					this.mapper = this.mapperFactory.apply(this.limits);
				}
				catch (StackOverflowError ex) {
					// the caller's stack was nearly used up, not Jackson broken: the next call tries again
					logger.debug("Langfuse's JSON mapper could not be built on a deep stack", ex);
				}
				catch (RuntimeException | LinkageError ex) {
					// a Jackson that does not match this starter fails the same way every time: give up once
					this.mapperFailure = Failures.describe(ex);
					logger.warn("Langfuse could not build its JSON mapper (" + this.mapperFailure + "): captured"
							+ " arguments and return values are sent as placeholders. Check that jackson-databind"
							+ " matches your Spring Boot version (mvn dependency:tree).");
					logger.debug("Langfuse's JSON mapper could not be built", ex);
				}
			}
			return this.mapper;
		}
	}

	static JsonMapper createMapper(StructureLimits limits) {
		StreamWriteConstraints constraints = StreamWriteConstraints.builder()
			.maxNestingDepth(MAX_NESTING_DEPTH)
			.build();
		JsonFactory factory = JsonFactory.builder().streamWriteConstraints(constraints).build();
		return JsonMapper.builder(factory)
			.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
			// a bean that refers to itself is marked by the bounded serializers, not failed
			.disable(SerializationFeature.FAIL_ON_SELF_REFERENCES)
			.disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
			.disable(DateTimeFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
			.addModule(OneShotValueSerializer
				.register(new SimpleModule("langfuse").addSerializer(JsonText.class, new JsonTextSerializer())
					.addSerializer(StringBuilder.class, new BoundedTextSerializer())
					.addSerializer(StringBuffer.class, new BoundedTextSerializer())))
			.addModule(BoundedSerializers.module(limits))
			.build();
	}

	@Override
	public String toJson(@Nullable Object value, int maxChars) {
		if (value == null) {
			return "null";
		}
		if (value instanceof byte[] bytes) {
			// the common binary argument, answered without a generator
			return fitted(BoundedGenerator.binaryPlaceholderJson(bytes.length), maxChars);
		}
		JsonMapper mapper = mapper();
		if (mapper == null) {
			// said once when the build failed: no WARN per value type
			return placeholderJson(value, "serializer unavailable", maxChars);
		}
		BoundedWriter writer = new BoundedWriter(maxChars);
		try (JsonGenerator generator = new BoundedGenerator(mapper.createGenerator(writer), this.limits)) {
			mapper.writeValue(generator, value);
			generator.flush();
			return writer.toString();
		}
		catch (StackOverflowError ex) {
			return placeholder(value, "cycle or too deep", ex, maxChars);
		}
		catch (VirtualMachineError ex) {
			throw ex;
		}
		catch (Throwable ex) {
			if (writer.isLimitReached()) {
				return writer.truncatedResult();
			}
			return placeholder(value, describe(ex), ex, maxChars);
		}
		finally {
			writer.release();
		}
	}

	private static String describe(Throwable failure) {
		if (Failures.anyCause(failure, (cause) -> cause instanceof StackOverflowError
				|| cause instanceof StreamConstraintsException
				|| (cause.getMessage() != null && cause.getMessage().contains("self-reference")))) {
			return "cycle or too deep";
		}
		// The innermost cause names the real problem, such as a getter's own exception
		return Failures.rootCause(failure).getClass().getSimpleName();
	}

	private String placeholder(Object value, String reason, Throwable failure, int maxChars) {
		report(value.getClass().getName(), reason, failure);
		return placeholderJson(value, reason, maxChars);
	}

	private static String placeholderJson(Object value, String reason, int maxChars) {
		String type = value.getClass().getName();
		StringBuilder json = new StringBuilder(type.length() + reason.length() + 24);
		json.append("\"<unserializable ");
		JsonStrings.appendEscaped(json, type);
		json.append(": ");
		JsonStrings.appendEscaped(json, reason);
		json.append(">\"");
		return fitted(json.toString(), maxChars);
	}

	private static String fitted(String json, int maxChars) {
		return (json.length() <= maxChars) ? json : cut(json, maxChars);
	}

	private void report(String type, String reason, Throwable failure) {
		if (this.reportedTypes.size() < this.maxReportedTypes && this.reportedTypes.add(type)) {
			// One line: Jackson's messages carry reference chains that can run to kilobytes
			logger.warn("Cannot serialize a value of type " + type + " for Langfuse (" + reason + "; "
					+ summary(failure) + "); sending a placeholder instead. Further failures for this type are"
					+ " logged at debug level");
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Cannot serialize a value of type " + type + " for Langfuse (" + reason + ")", failure);
		}
	}

	/**
	 * Describe a failure on one short line: its type and message, without Jackson's location,
	 * abbreviated to {@value #MAX_SUMMARY_LENGTH} characters.
	 */
	static String summary(Throwable failure) {
		String message = (failure instanceof JacksonException jackson) ? originalMessage(jackson)
				: failure.getMessage();
		String text = failure.getClass().getSimpleName() + ((message != null) ? ": " + message : "");
		text = WHITESPACE.matcher(text).replaceAll(" ").strip();
		return (text.length() <= MAX_SUMMARY_LENGTH) ? text : text.substring(0, MAX_SUMMARY_LENGTH) + "...";
	}

	private static @Nullable String originalMessage(JacksonException failure) {
		String message = failure.getOriginalMessage();
		if (failure.getPath().isEmpty()) {
			return message;
		}
		return ((message != null) ? message + " " : "") + "(through reference chain: "
				+ failure.getPathReference() + ")";
	}

	/**
	 * Cut JSON text that did not fit into valid JSON of at most {@code maxChars}, with the
	 * marker inside: a string stays a string that ends with the marker; anything else (an object
	 * or array cut short) becomes a string holding the JSON text that was kept, then the marker.
	 * So Langfuse always receives JSON it can parse.
	 * @param json JSON text, possibly cut anywhere
	 * @param maxChars the limit
	 * @return valid JSON, at most {@code maxChars} long (empty if even {@code ""} does not fit)
	 */
	static String cut(CharSequence json, int maxChars) {
		String marker = TRUNCATION_MARKER;
		if (maxChars < marker.length() + 2) {
			return (maxChars >= 2) ? "\"" + marker.substring(0, maxChars - 2) + "\"" : "";
		}
		if (json.length() > 0 && json.charAt(0) == '"') {
			int end = safeEnd(json, Math.min(json.length(), maxChars - marker.length() - 1));
			return new StringBuilder(end + marker.length() + 1).append(json, 0, end)
				.append(marker)
				.append('"')
				.toString();
		}
		// the text kept, escaped into a string: the opening quote, then as much as fits
		int keep = JsonStrings.fittingPrefix(json, maxChars - marker.length() - 2);
		StringBuilder out = new StringBuilder(Math.min(maxChars, keep + (keep >> 3) + marker.length() + 2));
		out.append('"');
		JsonStrings.appendEscaped(out, json, 0, keep);
		return out.append(marker).append('"').toString();
	}

	/**
	 * Return an end at or before {@code end} that cuts a JSON string's text neither inside an
	 * escape sequence nor between the two halves of a surrogate pair.
	 */
	private static int safeEnd(CharSequence json, int end) {
		int safe = end;
		if (safe > 0 && Character.isHighSurrogate(json.charAt(safe - 1))) {
			safe--;
		}
		// an escape that starts at most six chars before the end may be incomplete
		for (int start = Math.max(1, safe - 6); start < safe; start++) {
			if (json.charAt(start) == '\\' && isEscapeStart(json, start)) {
				int length = (start + 1 < json.length() && json.charAt(start + 1) == 'u') ? 6 : 2;
				if (start + length > safe) {
					return start;
				}
				start += length - 1;
			}
		}
		return safe;
	}

	/** Whether the backslash at {@code index} starts an escape, rather than being escaped itself. */
	private static boolean isEscapeStart(CharSequence json, int index) {
		int backslashes = 0;
		for (int i = index - 1; i >= 0 && json.charAt(i) == '\\'; i--) {
			backslashes++;
		}
		return backslashes % 2 == 0;
	}

}
