package local.textchat.tyrus;

import java.io.CharConversionException;
import java.io.IOException;

import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.HttpResponsePacket;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.HttpServerFilter;
import org.glassfish.grizzly.http.server.NetworkListener;

/**
 * Answers 400 to a request whose path cannot be decoded or climbs out of the root ({@code /a/%2e%2e/%2e%2e/x}),
 * before Grizzly's handler chain meets it: that chain fails such a path with an empty 500.
 */
final class BadPathFilter extends BaseFilter implements AddOn {

    @Override
    public void setup(NetworkListener listener, FilterChainBuilder builder) {
        builder.add(builder.indexOfType(HttpServerFilter.class), this);
    }

    @Override
    public NextAction handleRead(FilterChainContext ctx) throws IOException {
        if (ctx.getMessage() instanceof HttpContent content
                && content.getHttpHeader() instanceof HttpRequestPacket request) {
            try {
                request.getRequestURIRef().getDecodedRequestURIBC();
            } catch (CharConversionException e) {
                HttpResponsePacket response = request.getResponse();
                response.setStatus(400);
                response.setContentLength(0);
                response.getHeaders().setValue("Connection").setString("close");
                ctx.write(HttpContent.builder(response).last(true).build());
                ctx.flush(null);
                ctx.getConnection().closeSilently();
                return ctx.getStopAction();
            }
        }
        return ctx.getInvokeAction();
    }
}
