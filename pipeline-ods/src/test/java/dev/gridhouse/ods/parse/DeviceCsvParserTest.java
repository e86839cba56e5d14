package dev.gridhouse.ods.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridhouse.contract.grid.Device;
import dev.gridhouse.core.model.DeadLetter;
import org.apache.flink.types.Either;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeviceCsvParserTest {
    private final DeviceCsvParser parser = new DeviceCsvParser();

    @Test
    void parsesAValidRowWithQuotedNameAndIsoTime() {
        Either<DeadLetter, Device> r =
                parser.parse(
                        "D000001,\"Feeder 1, north\",FEEDER,S00001,NORTH,12.5,110,IN_SERVICE,"
                                + "2026-01-01T00:00:01Z",
                        7L);
        assertThat(r.isRight()).isTrue();
        Device d = r.right();
        assertThat(d.deviceName).isEqualTo("Feeder 1, north");
        assertThat(d.capacityMw).isEqualTo(12.5);
        assertThat(d.updatedAt).isEqualTo(1_767_225_601_000L);
    }

    @Test
    void recognisesTheContractHeader() {
        assertThat(
                        parser.isHeader(
                                "device_id,device_name,device_type,substation_id,region,"
                                        + "capacity_mw,rated_voltage_kv,status,updated_at"))
                .isTrue();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "D1,n,FEEDER,S,R,10,110,IN_SERVICE|MALFORMED|expected 9 columns, found 8",
                "D1,n,FEEDER,,R,10,110,IN_SERVICE,|MISSING_FIELD|substation_id",
                "D1,n,FEEDER,S,R,ten,110,IN_SERVICE,|INVALID_TYPE|capacity_mw",
                "D1,n,PUMP,S,R,10,110,IN_SERVICE,|INVALID_VALUE|device_type",
                "D1,n,FEEDER,S,R,10,110,BROKEN,|INVALID_VALUE|status",
                "D1,n,FEEDER,S,R,0,110,IN_SERVICE,|OUT_OF_RANGE|capacity_mw",
                "D1,n,FEEDER,S,R,10,-1,IN_SERVICE,|OUT_OF_RANGE|rated_voltage_kv",
                "D1,n,FEEDER,S,R,10,110,IN_SERVICE,yesterday|INVALID_TYPE|updated_at",
            })
    void rejectsRowsThatBreakTheContract(String line, String reason, String detail) {
        Either<DeadLetter, Device> r = parser.parse(line, 7L);
        assertThat(r.isLeft()).isTrue();
        DeadLetter dl = r.left();
        assertThat(dl.source).isEqualTo("devices");
        assertThat(dl.reason).isEqualTo(reason);
        assertThat(dl.detail).isEqualTo(detail);
        assertThat(dl.payload).isEqualTo(line);
        assertThat(dl.rejectedAt).isEqualTo(7L);
    }
}
