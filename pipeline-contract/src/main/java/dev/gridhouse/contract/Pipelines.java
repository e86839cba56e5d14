package dev.gridhouse.contract;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * The two warehouses of the contract and the option that picks one: each layer jar's main ({@code
 * OdsJob}, {@code DwsJob}, {@code AdsJob}) and {@code gridhouse local} run the grid warehouse by
 * default and the ticket warehouse with {@code --pipeline service}.
 */
public final class Pipelines {
    private Pipelines() {}

    /** The power-grid telemetry warehouse ({@code grid-contract.md}). */
    public static final String GRID = "grid";

    /** The customer-service ticket warehouse ({@code service-contract.md}). */
    public static final String SERVICE = "service";

    public static final ConfigOption<String> PIPELINE =
            ConfigOptions.key("pipeline")
                    .stringType()
                    .defaultValue(GRID)
                    .withDescription(
                            "Which warehouse to run: 'grid' (power-grid telemetry) or 'service'"
                                    + " (customer-service tickets from PostgreSQL CDC; Fluss"
                                    + " database 'service' unless --fluss.database is given).");
}
