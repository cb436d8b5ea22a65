package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;

public class SqsHandler implements RequestHandler<SQSEvent, String> {
    @Override
    public String handleRequest(SQSEvent event, Context context) {
        StringBuilder sb = new StringBuilder();
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(message.getMessageId()).append('=').append(message.getBody())
                    .append('@').append(message.getEventSourceArn());
        }
        return sb.toString();
    }
}
