package dev.gridhouse.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gridhouse.contract.grid.GridTables;
import java.util.Comparator;
import java.util.List;

/** One device: its {@code ods_devices} row and its {@code dws_device_minute} rows, by lookups. */
final class DeviceResource {
    private final ApiTables tables;

    DeviceResource(ApiTables tables) {
        this.tables = tables;
    }

    /** The device, its latest minute and its newest {@code minutes}; 404 for an unknown device. */
    ObjectNode get(String deviceId, int minutes) throws Exception {
        List<ObjectNode> device = tables.byDevice(GridTables.ODS_DEVICES, deviceId, false);
        if (device.isEmpty()) {
            throw new ApiError(404, "No device '" + deviceId + "'");
        }
        List<ObjectNode> rows = tables.byDevice(GridTables.DWS_DEVICE_MINUTE, deviceId, true);
        rows.sort(
                Comparator.comparing((ObjectNode n) -> n.get("window_start").asText()).reversed());
        ObjectNode out = ApiTables.object();
        out.set("device", device.get(0));
        out.set("latest_minute", rows.isEmpty() ? null : rows.get(0));
        out.set("minutes", ApiTables.array(rows, minutes));
        return out;
    }
}
