package io.memoscope.trainer.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The table of {@link Settings} is whole: one entry per key, each listed, each reading back what it
 * writes.
 */
class SettingsTest {

  @Test
  void everyDeclaredSettingIsListedOnceUnderTheNameOfItsKey() throws IllegalAccessException {
    List<Setting<?>> declared = new ArrayList<>();
    for (Field field : Settings.class.getDeclaredFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == Setting.class) {
        Setting<?> setting = (Setting<?>) field.get(null);
        declared.add(setting);
        assertThat(field.getName())
            .isEqualTo(setting.key().toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
      }
    }
    assertThat(Settings.ALL).containsExactlyInAnyOrderElementsOf(declared);
    assertThat(Settings.ALL.stream().map(Setting::key)).doesNotHaveDuplicates();
    assertThat(TrainingConfig.defaults().toFlatMap().keySet())
        .containsExactlyElementsOf(FlatConfig.KEYS);
  }

  @Test
  void everySettingReadsBackTheDefaultItWrites() {
    TrainingConfig defaults = TrainingConfig.defaults();
    for (Setting<?> setting : Settings.ALL) {
      assertThat(setting.read(setting.write(defaults)))
          .as(setting.key())
          .isEqualTo(setting.from().apply(defaults));
    }
  }

  @Test
  void everySettingHasOneLineOfDoc() {
    for (Setting<?> setting : Settings.ALL) {
      assertThat(setting.doc()).as(setting.key()).isNotBlank().doesNotContain("\n");
    }
  }
}
