package dev.gridhouse.core.serde;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

/**
 * Renders model records as JSON with contract (snake_case) names, e.g. for dead-letter payloads.
 */
public final class ModelJson {
    private static final ObjectMapper MAPPER =
            new ObjectMapper()
                    .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                    .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
                    .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.PUBLIC_ONLY);

    private ModelJson() {}

    /** The record's public fields as a JSON object. */
    public static String toJson(Object record) {
        try {
            return MAPPER.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            return String.valueOf(record);
        }
    }

    /**
     * The record of {@code type} whose public fields {@code json} holds ({@link #toJson}'s
     * inverse).
     */
    public static <T> T fromJson(String json, Class<T> type) throws java.io.IOException {
        return MAPPER.readValue(json, type);
    }
}
