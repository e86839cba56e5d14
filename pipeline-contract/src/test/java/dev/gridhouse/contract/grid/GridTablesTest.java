package dev.gridhouse.contract.grid;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridhouse.core.catalog.TableSpec;
import dev.gridhouse.core.serde.FlussRowConverter;
import org.junit.jupiter.api.Test;

/** The grid's tables against the kit: each one's model class fits its columns. */
class GridTablesTest {

    @Test
    void everyContractTableMapsToItsModel() {
        for (TableSpec t : GridTables.ALL) {
            assertThat(FlussRowConverter.forTable(t).table()).isSameAs(t);
        }
    }
}
