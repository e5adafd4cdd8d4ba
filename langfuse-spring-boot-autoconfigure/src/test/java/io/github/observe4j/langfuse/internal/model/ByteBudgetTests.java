package io.github.observe4j.langfuse.internal.model;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link ByteBudget}.
 */
class ByteBudgetTests {

	@Test
	void reservesExactlyUpToTheCapacityAndNotOneByteMore() {
		ByteBudget budget = new ByteBudget(1000);
		assertThat(budget.tryReserve(600)).isTrue();
		assertThat(budget.tryReserve(401)).isFalse();
		// a refused reservation leaves nothing behind
		assertThat(budget.reserved()).isEqualTo(600);
		assertThat(budget.tryReserve(400)).isTrue();
		assertThat(budget.reserved()).isEqualTo(1000);
		assertThat(budget.tryReserve(1)).isFalse();
		assertThat(budget.tryReserve(0)).isTrue();
		budget.release(600);
		assertThat(budget.reserved()).isEqualTo(400);
		assertThat(budget.tryReserve(600)).isTrue();
		assertThat(budget.capacity()).isEqualTo(1000);
	}

	@Test
	void refusesAReservationLargerThanTheWholeCapacity() {
		ByteBudget budget = new ByteBudget(1000);
		assertThat(budget.tryReserve(1001)).isFalse();
		assertThat(budget.reserved()).isZero();
	}

	@Test
	void anUnlimitedBudgetRefusesNothingAndDoesNotOverflow() {
		ByteBudget budget = ByteBudget.unlimited();
		assertThat(budget.tryReserve(Long.MAX_VALUE - 10)).isTrue();
		assertThat(budget.tryReserve(11)).isFalse();
		assertThat(budget.reserved()).isEqualTo(Long.MAX_VALUE - 10);
	}

	@Test
	void rejectsANonPositiveCapacity() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ByteBudget(0))
			.withMessage("capacity must be positive, was 0");
	}

	@Test
	@Timeout(30)
	void concurrentReservationsNeverExceedTheCapacity() throws Exception {
		long capacity = 100_000;
		ByteBudget budget = new ByteBudget(capacity);
		// raised after each reservation and lowered before its release, so it never exceeds what is reserved
		AtomicLong held = new AtomicLong();
		AtomicLong maxHeld = new AtomicLong();
		AtomicLong refused = new AtomicLong();
		int threads = 8;
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				futures.add(executor.submit(() -> {
					start.await();
					ThreadLocalRandom random = ThreadLocalRandom.current();
					List<Long> mine = new ArrayList<>();
					for (int i = 0; i < 50_000; i++) {
						if (mine.isEmpty() || random.nextBoolean()) {
							long bytes = random.nextLong(1, 5_000);
							if (budget.tryReserve(bytes)) {
								maxHeld.accumulateAndGet(held.addAndGet(bytes), Math::max);
								mine.add(bytes);
							}
							else {
								refused.incrementAndGet();
							}
						}
						else {
							long bytes = mine.remove(mine.size() - 1);
							held.addAndGet(-bytes);
							budget.release(bytes);
						}
					}
					for (long bytes : mine) {
						held.addAndGet(-bytes);
						budget.release(bytes);
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> future : futures) {
				future.get(20, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(maxHeld.get()).isLessThanOrEqualTo(capacity);
		// the threads did press against the capacity, or the bound was never tested
		assertThat(refused.get()).isPositive();
		assertThat(budget.reserved()).isZero();
	}

}
