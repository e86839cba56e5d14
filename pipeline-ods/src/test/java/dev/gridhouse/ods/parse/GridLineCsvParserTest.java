package dev.gridhouse.ods.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridhouse.contract.grid.GridLine;
import dev.gridhouse.core.model.DeadLetter;
import org.apache.flink.types.Either;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GridLineCsvParserTest {
    private final GridLineCsvParser parser = new GridLineCsvParser();

    @ParameterizedTest
    @CsvSource({"CLOSED", "OPEN"})
    void parsesAValidRowOfEitherStatus(String status) {
        Either<DeadLetter, GridLine> r = parser.parse("L0001,S00001, S00002 ,80.5," + status, 7L);
        assertThat(r.isRight()).isTrue();
        GridLine l = r.right();
        assertThat(l.lineId).isEqualTo("L0001");
        assertThat(l.fromSubstationId).isEqualTo("S00001");
        assertThat(l.toSubstationId).isEqualTo("S00002");
        assertThat(l.capacityMw).isEqualTo(80.5);
        assertThat(l.status).isEqualTo(status);
    }

    @Test
    void recognisesTheContractHeader() {
        assertThat(
                        parser.isHeader(
                                "line_id,from_substation_id,to_substation_id,capacity_mw,status"))
                .isTrue();
        assertThat(parser.isHeader("L0001,S00001,S00002,80,CLOSED")).isFalse();
        assertThat(parser.source()).isEqualTo("lines");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "L1,S1,S2,80|MALFORMED|expected 5 columns, found 4",
                "L1,S1,S2,80,CLOSED,x|MALFORMED|expected 5 columns, found 6",
                "' '|MALFORMED|empty line",
                ",S1,S2,80,CLOSED|MISSING_FIELD|line_id",
                "L1,,S2,80,CLOSED|MISSING_FIELD|from_substation_id",
                "L1,S1,,80,CLOSED|MISSING_FIELD|to_substation_id",
                "L1,S1,S2,,CLOSED|MISSING_FIELD|capacity_mw",
                "L1,S1,S2,80,|MISSING_FIELD|status",
                "L1,S1,S2,eighty,CLOSED|INVALID_TYPE|capacity_mw",
                "L1,S1,S2,80,BROKEN|INVALID_VALUE|status",
                "L1,S1,S2,80,closed|INVALID_VALUE|status",
                "L1,S1,S2,NaN,CLOSED|INVALID_VALUE|capacity_mw",
                "L1,S1,S2,0,OPEN|OUT_OF_RANGE|capacity_mw",
                "L1,S1,S2,-10,CLOSED|OUT_OF_RANGE|capacity_mw",
            })
    void rejectsRowsThatBreakTheContract(String line, String reason, String detail) {
        Either<DeadLetter, GridLine> r = parser.parse(line, 7L);
        assertThat(r.isLeft()).isTrue();
        DeadLetter dl = r.left();
        assertThat(dl.source).isEqualTo("lines");
        assertThat(dl.reason).isEqualTo(reason);
        assertThat(dl.detail).isEqualTo(detail);
        assertThat(dl.payload).isEqualTo(line);
        assertThat(dl.eventTs).isNull();
        assertThat(dl.rejectedAt).isEqualTo(7L);
    }
}
