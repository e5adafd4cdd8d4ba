package io.github.observe4j.langfuse.internal.langchain4j;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.context.LangfuseScope;
import io.github.observe4j.langfuse.internal.core.DefaultLangfuseClient;
import io.github.observe4j.langfuse.internal.core.LangfuseSpan;
import io.github.observe4j.langfuse.internal.core.LangfuseTracer;
import io.github.observe4j.langfuse.internal.core.ObservationContextHolder;
import io.github.observe4j.langfuse.internal.core.TracerSettings;
import io.github.observe4j.langfuse.internal.model.ObservationRecord;
import io.github.observe4j.langfuse.testsupport.TestExportControl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a streamed LangChain4j chat leaves current on the threads its answer arrives on: a chain
 * handed on to the next request only while nothing else has changed the thread, and a joined
 * trace kept by the decorated handler's callbacks however the join ends.
 */
class StreamedChainContextTests {

	private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";

	private final List<ObservationRecord> exported = new CopyOnWriteArrayList<>();

	private final LangfuseTracer tracer = new LangfuseTracer(
			TracerSettings.defaults("http://localhost:3000", (value, max) -> "null"), this.exported::add);

	private final DefaultLangfuseClient client = new DefaultLangfuseClient(this.tracer, (score) -> true,
			TestExportControl.withoutProject());

	@AfterEach
	void nothingLeftOnTheTestThread() {
		StreamingChains.release();
		ObservationContextHolder.swap(null);
	}

	@Test
	void aChainHandedOnInsideATaskThatHasEndedIsNotTakenUpByTheNextRequest() {
		LangfuseSpan otherRequest = this.tracer.startObservation("other request", ObservationType.SPAN);
		LangfuseSpan chatParent = this.tracer.startObservation("chat parent", ObservationType.SPAN);
		ObservationContextHolder.swap(null);
		// the answer asking for tools arrives inside a task that carries another request's context
		ObservationContextHolder.swap(otherRequest);
		StreamingChains.handOn(chatParent);
		// the task ends and puts back its own: the chain did not go on in it
		ObservationContextHolder.swap(null);
		// an unrelated request later on this thread neither continues the chain nor brings back
		// the other request's context
		assertThat(StreamingChains.take()).isNull();
		assertThat(ObservationContextHolder.current()).isNull();
		this.tracer.endObservation(chatParent);
		this.tracer.endObservation(otherRequest);
	}

	@Test
	void aStreamedAnswerDeliveredOnTheJoiningThreadStaysInTheTraceWhenTheJoinClosesElsewhere() throws Exception {
		LangfuseScope scope = this.client.joinTrace(TRACE_ID, null);
		StreamedChat chat = new StreamedChat();
		chat.started(null, ObservationContextHolder.get(), () -> {
		}, (failure) -> {
		});
		ExecutorService closer = Executors.newSingleThreadExecutor();
		try {
			ObservingStreamingHandler handler = new ObservingStreamingHandler(new StreamingChatResponseHandler() {

				@Override
				public void onPartialResponse(String partialResponse) {
				}

				@Override
				public void onCompleteResponse(ChatResponse completeResponse) {
					try {
						// the request's pipeline ends on another thread while the answer is handled here
						closer.submit(scope::close).get(10, TimeUnit.SECONDS);
					}
					catch (Exception ex) {
						throw new IllegalStateException(ex);
					}
					StreamedChainContextTests.this.client.observe("after the close", ObservationType.SPAN, () -> "x");
				}

				@Override
				public void onError(Throwable error) {
				}

			}, chat);
			// an event loop delivers the answer on the thread that joined
			handler.onCompleteResponse(ChatResponse.builder().aiMessage(AiMessage.from("answer")).build());
		}
		finally {
			closer.shutdownNow();
		}
		assertThat(this.exported).filteredOn((record) -> record.name().equals("after the close"))
			.singleElement()
			.satisfies((record) -> assertThat(String.format("%016x%016x", record.traceIdHigh(), record.traceIdLow()))
				.isEqualTo(TRACE_ID));
		assertThat(ObservationContextHolder.get()).isNull();
	}

}
