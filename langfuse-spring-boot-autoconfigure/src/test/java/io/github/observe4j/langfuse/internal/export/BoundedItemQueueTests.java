package io.github.observe4j.langfuse.internal.export;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link BoundedItemQueue}.
 */
class BoundedItemQueueTests {

	private static final int PRODUCERS = 4;

	@Test
	void rejectsInvalidCapacity() {
		assertThatIllegalArgumentException().isThrownBy(() -> new BoundedItemQueue<String>(0))
			.withMessage("capacity must be between 1 and 2^30, was 0");
	}

	@Test
	void acceptsExactlyItsCapacityWhenItIsNotAPowerOfTwo() {
		BoundedItemQueue<String> queue = new BoundedItemQueue<>(10);
		int accepted = 0;
		for (int i = 0; i < 100; i++) {
			accepted += queue.offer("item-" + i) ? 1 : 0;
		}
		assertThat(accepted).isEqualTo(10);
		assertThat(queue.size()).isEqualTo(10);
		List<String> drained = new ArrayList<>();
		assertThat(queue.drainTo(drained, Integer.MAX_VALUE)).isEqualTo(10);
		assertThat(drained).containsExactly("item-0", "item-1", "item-2", "item-3", "item-4", "item-5", "item-6",
				"item-7", "item-8", "item-9");
		assertThat(queue.isEmpty()).isTrue();
		assertThat(queue.offer("again")).isTrue();
	}

	@Test
	void drainsAtMostTheGivenNumberOldestFirstAcrossManyWrapArounds() {
		BoundedItemQueue<Integer> queue = new BoundedItemQueue<>(3);
		List<Integer> drained = new ArrayList<>();
		int next = 0;
		for (int round = 0; round < 1000; round++) {
			while (queue.offer(next)) {
				next++;
			}
			assertThat(queue.size()).isEqualTo(3);
			assertThat(queue.drainTo(drained, 2)).isEqualTo(2);
			assertThat(queue.size()).isEqualTo(1);
		}
		queue.drainTo(drained, Integer.MAX_VALUE);
		assertThat(drained).hasSize(next);
		for (int i = 0; i < drained.size(); i++) {
			assertThat(drained.get(i)).isEqualTo(i);
		}
	}

	@Test
	@Timeout(20)
	void concurrentProducersFillExactlyTheCapacity() throws Exception {
		BoundedItemQueue<String> queue = new BoundedItemQueue<>(1000);
		AtomicInteger accepted = new AtomicInteger();
		runProducers(10_000, (producer, i) -> {
			if (queue.offer(producer + "-" + i)) {
				accepted.incrementAndGet();
			}
		});
		assertThat(accepted.get()).isEqualTo(1000);
		assertThat(queue.size()).isEqualTo(1000);
		List<String> drained = new ArrayList<>();
		assertThat(queue.drainTo(drained, Integer.MAX_VALUE)).isEqualTo(1000);
		assertThat(drained).doesNotHaveDuplicates();
	}

	@Test
	@Timeout(20)
	void concurrentProducersAndConsumerLoseNothingKeepEachProducersOrderAndStayWithinCapacity() throws Exception {
		int capacity = 100;
		BoundedItemQueue<long[]> queue = new BoundedItemQueue<>(capacity);
		AtomicInteger accepted = new AtomicInteger();
		AtomicBoolean producing = new AtomicBoolean(true);
		List<long[]> drained = new ArrayList<>();
		AtomicInteger largestSize = new AtomicInteger();
		Thread consumer = new Thread(() -> {
			while (producing.get() || !queue.isEmpty()) {
				largestSize.accumulateAndGet(queue.size(), Math::max);
				queue.drainTo(drained, 7);
			}
		});
		consumer.start();
		runProducers(50_000, (producer, i) -> {
			if (queue.offer(new long[] { producer, i })) {
				accepted.incrementAndGet();
			}
		});
		producing.set(false);
		consumer.join(10_000);
		assertThat(consumer.isAlive()).isFalse();
		assertThat(drained).hasSize(accepted.get());
		assertThat(largestSize.get()).isLessThanOrEqualTo(capacity);
		long[] last = new long[PRODUCERS];
		Arrays.fill(last, -1);
		for (long[] item : drained) {
			int producer = (int) item[0];
			assertThat(item[1]).as("order of producer %d", producer).isGreaterThan(last[producer]);
			last[producer] = item[1];
		}
	}

	@Test
	void withdrawBeforeCloseTakesBackOnlyThatItemAndDrainSkipsIt() {
		BoundedItemQueue<String> queue = new BoundedItemQueue<>(4);
		String b = new String("b");
		queue.offer("a");
		queue.offer(b);
		queue.offer("c");
		List<String> withdrawn = new ArrayList<>();
		assertThat(queue.withdraw(new String("b"), withdrawn)).as("compares by identity").isZero();
		assertThat(queue.withdraw(b, withdrawn)).isOne();
		assertThat(withdrawn).containsExactly("b");
		assertThat(queue.withdraw(b, withdrawn)).isZero();
		List<String> drained = new ArrayList<>();
		assertThat(queue.drainTo(drained, 2)).isEqualTo(2);
		assertThat(drained).containsExactly("a", "c");
		assertThat(queue.isEmpty()).isTrue();
	}

	@Test
	void withdrawAfterCloseDrainsEverythingLeft() {
		BoundedItemQueue<String> queue = new BoundedItemQueue<>(4);
		queue.offer("a");
		List<String> closed = new ArrayList<>();
		assertThat(queue.close(closed)).isOne();
		assertThat(closed).containsExactly("a");
		queue.offer("late-1");
		queue.offer("late-2");
		List<String> withdrawn = new ArrayList<>();
		assertThat(queue.withdraw("late-2", withdrawn)).isEqualTo(2);
		assertThat(withdrawn).containsExactly("late-1", "late-2");
		assertThat(queue.isEmpty()).isTrue();
	}

	private static void runProducers(int perProducer, ItemAction action) throws InterruptedException {
		CountDownLatch start = new CountDownLatch(1);
		List<Thread> threads = new ArrayList<>();
		for (int p = 0; p < PRODUCERS; p++) {
			int producer = p;
			Thread thread = new Thread(() -> {
				try {
					start.await();
				}
				catch (InterruptedException ex) {
					return;
				}
				for (int i = 0; i < perProducer; i++) {
					action.run(producer, i);
				}
			});
			thread.start();
			threads.add(thread);
		}
		start.countDown();
		for (Thread thread : threads) {
			thread.join(TimeUnit.SECONDS.toMillis(10));
			assertThat(thread.isAlive()).isFalse();
		}
	}

	/** What each producer does with its {@code i}th item. */
	@FunctionalInterface
	interface ItemAction {

		void run(int producer, int i);

	}

}
