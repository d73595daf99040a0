package io.github.keydet.core.family;

import io.github.keydet.core.decode.DecodeOptions;
import java.util.function.BiConsumer;

/**
 * A command-line option a family adds to {@code keydet decode}: its name, what it means, its default, and how
 * its value sets the decode options. Several families may declare the same option (the same name sets the same
 * setting); the command registers each name once.
 *
 * @param name option name with its dashes, e.g. {@code --aggr-weight}
 * @param type value type: {@code Double.class}, {@code Float.class}, {@code Integer.class}, {@code String.class} or {@code Boolean.class}
 *     (a flag); a family whose setting has no field in {@code DecodeOptions} stores it with {@code
 *     optFamilySetting(name, value)}
 * @param description help text (the family names it applies to are added by the command)
 * @param defaultValue the default as text, or {@code null} for "the family's"
 * @param apply sets the parsed value on a decode-options builder
 */
public record FamilyOption(
    String name, Class<?> type, String description, String defaultValue,
    BiConsumer<DecodeOptions.Builder, Object> apply) {}
