package io.memoscope.trainer.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class Nd4jRuntimeTest {

  @BeforeAll
  static void configure() {
    Nd4jRuntime.configure();
  }

  @Test
  void configureIsIdempotent() {
    String first = Nd4jRuntime.configure();
    String second = Nd4jRuntime.configure();

    assertThat(second).isEqualTo(first);
    assertThat(Nd4jRuntime.isConfigured()).isTrue();
    assertThat(System.getProperty(OneDnnHelpers.DISABLE_PROPERTY)).isEqualTo("false");
    assertThat(Nd4jRuntime.cpuThreads()).isEqualTo(Nd4jRuntime.defaultCpuThreads());
  }

  @Test
  void descriptionNamesTheBackend() {
    assertThat(Nd4jRuntime.backendDescription())
        .startsWith("ND4J " + Nd4j.getBackend().getClass().getSimpleName());
  }

  @Test
  void onTheCpuTheDescriptionShowsTheOneDnnBuildWithHelpersOn() {
    assumeTrue(Nd4j.getEnvironment().isCPU());

    assertThat(Nd4jRuntime.backendDescription())
        .contains("(oneDNN helpers on)")
        .contains(
            Nd4jRuntime.cpuThreads() == 1 ? "1 thread," : Nd4jRuntime.cpuThreads() + " threads,")
        .contains("build linux-x86_64-onednn");
  }

  @Test
  void aThreadThatDidNotLoadNd4jStillGetsTheConfiguredOpenMpCount() throws Exception {
    assumeTrue(Nd4j.getEnvironment().isCPU());
    Nd4jRuntime.startLoading();
    Nd4jRuntime.startLoading(); // a second call starts nothing new

    int trainer =
        CompletableFuture.supplyAsync(
                () -> {
                  Nd4jRuntime.load();
                  Nd4jRuntime.configure();
                  return Nd4jRuntime.cpuThreadsOfCurrentThread();
                })
            .get();

    assertThat(trainer).isEqualTo(Nd4jRuntime.defaultCpuThreads());
  }

  @Test
  void eachTrainingThreadGetsTheConfiguredOpenMpCount() throws Exception {
    assumeTrue(Nd4j.getEnvironment().isCPU());
    int threads = Nd4jRuntime.defaultCpuThreads();

    int onOtherThread =
        CompletableFuture.supplyAsync(
                () -> {
                  Nd4jRuntime.configure();
                  return Nd4jRuntime.cpuThreadsOfCurrentThread();
                })
            .get();

    assertThat(onOtherThread).isEqualTo(threads);
    assertThat(Nd4jRuntime.cpuThreadsOfCurrentThread()).isEqualTo(threads);
  }

  @Test
  void aChangedThreadCountReachesEveryPool() {
    assumeTrue(Nd4j.getEnvironment().isCPU());
    int threads = Nd4jRuntime.defaultCpuThreads();
    try {
      Nd4jRuntime.configure(threads + 1);

      assertThat(Nd4j.getEnvironment().maxMasterThreads()).isEqualTo(threads + 1);
      assertThat(Nd4j.factory().blas().getMaxThreads()).isEqualTo(threads + 1);
      assertThat(Nd4jRuntime.cpuThreadsOfCurrentThread()).isEqualTo(threads + 1);
    } finally {
      Nd4jRuntime.configure(threads);
    }
    assertThat(Nd4jRuntime.cpuThreads()).isEqualTo(threads);
  }

  @Test
  void rejectsANonPositiveThreadCount() {
    assertThatThrownBy(() -> Nd4jRuntime.configure(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void leavesAUserChoiceOfTheHelperPropertyAlone() {
    String before = System.getProperty(OneDnnHelpers.DISABLE_PROPERTY);
    try {
      System.setProperty(OneDnnHelpers.DISABLE_PROPERTY, "true");
      OneDnnHelpers.allowUnlessUserDecided(true);
      assertThat(System.getProperty(OneDnnHelpers.DISABLE_PROPERTY)).isEqualTo("true");
    } finally {
      System.setProperty(OneDnnHelpers.DISABLE_PROPERTY, before);
    }
  }
}
