package dev.gridhouse.ods.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridhouse.contract.grid.Substation;
import dev.gridhouse.core.model.DeadLetter;
import org.apache.flink.types.Either;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SubstationCsvParserTest {
    private final SubstationCsvParser parser = new SubstationCsvParser();

    @Test
    void parsesAValidRowWithQuotedNameAndSpaces() {
        Either<DeadLetter, Substation> r =
                parser.parse("S00001,\"North 1, main\", NORTH ,220,450.5", 7L);
        assertThat(r.isRight()).isTrue();
        Substation s = r.right();
        assertThat(s.substationId).isEqualTo("S00001");
        assertThat(s.substationName).isEqualTo("North 1, main");
        assertThat(s.region).isEqualTo("NORTH");
        assertThat(s.voltageLevelKv).isEqualTo(220.0);
        assertThat(s.capacityMw).isEqualTo(450.5);
    }

    @Test
    void recognisesTheContractHeader() {
        assertThat(
                        parser.isHeader(
                                "substation_id,substation_name,region,voltage_level_kv,"
                                        + "capacity_mw"))
                .isTrue();
        assertThat(parser.isHeader("S00001,North 1,NORTH,220,450")).isFalse();
        assertThat(parser.source()).isEqualTo("substations");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "S1,n,NORTH,220|MALFORMED|expected 5 columns, found 4",
                "S1,n,NORTH,220,100,extra|MALFORMED|expected 5 columns, found 6",
                "' '|MALFORMED|empty line",
                "S1,\"n,NORTH,220,100|MALFORMED|",
                ",n,NORTH,220,100|MISSING_FIELD|substation_id",
                "S1,,NORTH,220,100|MISSING_FIELD|substation_name",
                "S1,n, ,220,100|MISSING_FIELD|region",
                "S1,n,NORTH,,100|MISSING_FIELD|voltage_level_kv",
                "S1,n,NORTH,220,|MISSING_FIELD|capacity_mw",
                "S1,n,NORTH,high,100|INVALID_TYPE|voltage_level_kv",
                "S1,n,NORTH,220,lots|INVALID_TYPE|capacity_mw",
                "S1,n,NORTH,NaN,100|INVALID_VALUE|voltage_level_kv",
                "S1,n,NORTH,220,Infinity|INVALID_VALUE|capacity_mw",
                "S1,n,NORTH,0,100|OUT_OF_RANGE|voltage_level_kv",
                "S1,n,NORTH,220,-5|OUT_OF_RANGE|capacity_mw",
                "S1,n,NORTH,220,0|OUT_OF_RANGE|capacity_mw",
            })
    void rejectsRowsThatBreakTheContract(String line, String reason, String detail) {
        Either<DeadLetter, Substation> r = parser.parse(line, 7L);
        assertThat(r.isLeft()).isTrue();
        DeadLetter dl = r.left();
        assertThat(dl.source).isEqualTo("substations");
        assertThat(dl.reason).isEqualTo(reason);
        if (detail != null) {
            assertThat(dl.detail).isEqualTo(detail);
        }
        assertThat(dl.payload).isEqualTo(line);
        assertThat(dl.eventTs).isNull();
        assertThat(dl.rejectedAt).isEqualTo(7L);
    }

    @Test
    void rejectsANullLine() {
        Either<DeadLetter, Substation> r = parser.parse(null, 7L);
        assertThat(r.isLeft()).isTrue();
        assertThat(r.left().reason).isEqualTo("MALFORMED");
    }
}
