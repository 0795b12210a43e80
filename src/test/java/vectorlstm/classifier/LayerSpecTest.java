package vectorlstm.classifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import vectorlstm.layers.Bidirectional;
import vectorlstm.layers.Gru;
import vectorlstm.layers.Layer;
import vectorlstm.layers.Lstm;

class LayerSpecTest {
    private static String types(String spec) {
        List<Layer> layers = LayerSpec.parse(spec).layers();
        return String.join(",", layers.stream().map(Layer::typeName).toList());
    }

    @Test
    void specsBecomeLayers() {
        assertEquals("LSTM", types("lstm:100"));
        assertEquals("LSTM,LSTM", types("lstm:64:seq,lstm:32"));
        assertEquals("Bidirectional", types("bilstm:64"));
        assertEquals("LSTM,GlobalMaxPooling1D,Dropout", types("lstm:64:seq,maxpool,dropout:0.2"));
        assertEquals("Bidirectional,GlobalAveragePooling1D", types(" BiLSTM:8:seq:sum , avgpool "));
        Bidirectional b = (Bidirectional) LayerSpec.parse("bilstm:8:seq:mul,maxpool").layers().get(0);
        assertEquals(Bidirectional.MergeMode.MUL, b.mergeMode());
        assertTrue(b.returnSequences());
        assertEquals(8, ((Lstm) LayerSpec.parse("lstm:8").layers().get(0)).units());
        assertTrue(LayerSpec.parse("dropout:0.1,bilstm:4").readsBackwards());
        Lstm dropped = (Lstm) LayerSpec.parse("lstm:8:dropout=0.25:recurrent_dropout=0.5").layers().get(0);
        assertEquals(0.25f, dropped.dropout());
        assertEquals(0.5f, dropped.recurrentDropout());
        Bidirectional bd = (Bidirectional) LayerSpec.parse("bilstm:8:recurrent_dropout=0.5").layers().get(0);
        assertEquals(0.5f, bd.backwardLayer().recurrentDropout(), "the reversed copy keeps the options");
    }

    @Test
    void gruSpecsBecomeKerasDefaultGrus() {
        assertEquals("GRU,GRU", types("gru:64:seq,gru:32"));
        assertEquals("Bidirectional,GlobalMaxPooling1D", types("bigru:8:seq:ave,maxpool"));
        Gru g = (Gru) LayerSpec.parse("gru:8").layers().get(0);
        assertEquals(8, g.units());
        assertTrue(g.resetAfter() && !g.returnSequences() && !g.goBackwards());
        Bidirectional b = (Bidirectional) LayerSpec.parse("bigru:6").layers().get(0);
        assertTrue(b.forwardLayer() instanceof Gru && b.backwardLayer() instanceof Gru && b.backwardLayer().goBackwards());
        assertTrue(LayerSpec.parse("bigru:4").readsBackwards());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LayerSpec.parse("gru:4:seq:sum"));
        assertTrue(e.getMessage().contains("unknown option 'sum'"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "lstm:64:seq,foo | item 2 'foo': unknown layer",
        "lstm:0 | item 1 'lstm:0': units",
        "lstm:abc | units must be a whole number",
        "lstm:100000 | from 1 to",
        "lstm:64:seq | ends with a sequence",
        "lstm:64,lstm:32 | item 2 'lstm:32': a recurrent layer needs a sequence",
        "lstm:64,maxpool | item 2 'maxpool': pooling needs a sequence",
        "dropout:1.5,lstm:4 | item 1 'dropout:1.5': the rate",
        "lstm:4:seq:sum | unknown option 'sum'",
        "lstm:4:dropout=2 | the rate",
        "lstm:4,,lstm:3 | item 2 '': empty item",
        "bilstm:4:seq:seq | seq is given twice",
        "bilstm:4:sum:mul | merge mode is given twice",
        "lstm:4:dropout=0.5:dropout=0.2 | dropout is given twice",
        "bigru:4:recurrent_dropout=0.1:seq:recurrent_dropout=0.2 | recurrent_dropout is given twice",
    })
    void badSpecsNameTheItem(String spec, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LayerSpec.parse(spec));
        assertTrue(e.getMessage().contains(message.trim()), e.getMessage());
    }

    @Test
    void emptyAndHugeSpecsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> LayerSpec.parse(" "));
        assertThrows(IllegalArgumentException.class, () -> LayerSpec.parse("dropout:0.1,".repeat(40) + "lstm:4"));
    }
}
