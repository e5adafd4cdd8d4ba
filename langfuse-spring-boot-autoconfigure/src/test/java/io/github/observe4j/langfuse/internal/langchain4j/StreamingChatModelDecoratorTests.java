package io.github.observe4j.langfuse.internal.langchain4j;

import java.util.ArrayList;
import java.util.List;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.Test;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link StreamingChatModelDecorator}: a model that implements its streaming chat
 * itself keeps its own behaviour; one built on {@code doChat} is decorated.
 */
class StreamingChatModelDecoratorTests {

	private final StreamingChatModelDecorator decorator = new StreamingChatModelDecorator();

	@Test
	void aModelThatImplementsChatItselfGetsItsOwnCall() {
		DelegatingModel model = new DelegatingModel();
		StreamingChatModel proxy = (StreamingChatModel) this.decorator.postProcessAfterInitialization(model, "model");
		assertThat(AopUtils.isAopProxy(proxy)).isTrue();
		RecordingHandler handler = new RecordingHandler();
		proxy.chat(ChatRequest.builder().messages(UserMessage.from("Hi")).build(), handler);
		assertThat(model.calls).containsExactly("own chat");
		assertThat(handler.answers).containsExactly("from the wrapper");
	}

	@Test
	void aModelBuiltOnDoChatIsStillCalledOnceAndAnswersUnchanged() {
		DoChatModel model = new DoChatModel();
		StreamingChatModel proxy = (StreamingChatModel) this.decorator.postProcessAfterInitialization(model, "model");
		RecordingHandler handler = new RecordingHandler();
		proxy.chat(ChatRequest.builder().messages(UserMessage.from("Hi")).build(), handler);
		assertThat(AopUtils.isAopProxy(proxy)).isTrue();
		assertThat(model.handlers).hasSize(1);
		assertThat(handler.answers).containsExactly("from doChat");
	}

	@Test
	void aModelProxiedAlreadyStillRunsTheApplicationsAdviceAndIsDecorated() {
		ListenedModel model = new ListenedModel();
		List<String> advised = new ArrayList<>();
		ProxyFactory factory = new ProxyFactory(model);
		factory.setProxyTargetClass(true);
		factory.addAdvice((MethodInterceptor) (invocation) -> {
			advised.add(invocation.getMethod().getName() + "/" + invocation.getArguments().length);
			return invocation.proceed();
		});
		Object applicationProxy = factory.getProxy();
		StreamingChatModel proxy = (StreamingChatModel) this.decorator.postProcessAfterInitialization(applicationProxy,
				"model");
		assertThat(proxy).isSameAs(applicationProxy);
		RecordingHandler handler = new RecordingHandler();
		proxy.chat(ChatRequest.builder().messages(UserMessage.from("Hi")).build(), handler);
		assertThat(advised).as("the application's advice around the call").containsExactly("chat/2");
		assertThat(model.streamedChats).as("decorated: the listener gets the stream's shared state").hasSize(1);
		assertThat(handler.answers).containsExactly("from doChat");
	}

	/** A model whose listener records the decorator's shared state in the request's attributes. */
	static class ListenedModel extends DoChatModel {

		final List<Object> streamedChats = new ArrayList<>();

		@Override
		public List<ChatModelListener> listeners() {
			return List.of(new ChatModelListener() {

				@Override
				public void onRequest(ChatModelRequestContext requestContext) {
					Object chat = requestContext.attributes().get(StreamedChat.KEY);
					if (chat != null) {
						ListenedModel.this.streamedChats.add(chat);
					}
				}

			});
		}

	}

	static class DelegatingModel implements StreamingChatModel {

		final List<String> calls = new ArrayList<>();

		@Override
		public void chat(ChatRequest request, StreamingChatResponseHandler handler) {
			this.calls.add("own chat");
			handler.onCompleteResponse(ChatResponse.builder().aiMessage(AiMessage.from("from the wrapper")).build());
		}

	}

	static class DoChatModel implements StreamingChatModel {

		final List<StreamingChatResponseHandler> handlers = new ArrayList<>();

		@Override
		public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
			this.handlers.add(handler);
			handler.onCompleteResponse(ChatResponse.builder().aiMessage(AiMessage.from("from doChat")).build());
		}

	}

	static class RecordingHandler implements StreamingChatResponseHandler {

		final List<String> answers = new ArrayList<>();

		@Override
		public void onPartialResponse(String partialResponse) {
		}

		@Override
		public void onCompleteResponse(ChatResponse completeResponse) {
			this.answers.add(completeResponse.aiMessage().text());
		}

		@Override
		public void onError(Throwable error) {
			this.answers.add("error: " + error);
		}

	}

}
