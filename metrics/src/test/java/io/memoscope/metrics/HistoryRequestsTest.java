package io.memoscope.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The history workers are bounded: beyond the workers and the queue a request is refused at once.
 */
class HistoryRequestsTest {

  @Test
  void aRequestBeyondTheWorkersAndTheQueueIsRefused() throws Exception {
    HistoryLimits limits = new HistoryLimits(1, 2, 10, 10, 1, Duration.ZERO);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(3);
    try (HistoryRequests requests = new HistoryRequests(limits)) {
      Runnable blocking =
          () -> {
            started.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            done.countDown();
          };
      assertThat(requests.submit(blocking)).isTrue();
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(requests.submit(done::countDown)).isTrue();
      assertThat(requests.submit(done::countDown)).isTrue();
      assertThat(requests.submit(done::countDown)).as("a fourth: 1 working, 2 waiting").isFalse();
      release.countDown();
      assertThat(done.await(10, TimeUnit.SECONDS)).as("the accepted ones all ran").isTrue();
    }
  }
}
