/**
 * The event-stream reader of the Lambda client that reads response streams
 * (InvokeWithResponseStream), in place of the SDK's: the SDK copies every message into a
 * buffer of its own before decoding it, so a stream read up to max_bytes held its
 * payload twice (the body's chunks and those copies) until the garbage collector ran,
 * which it does late. This one decodes the body's chunks where they are
 * (./eventStreamDecoder.js) and hands a PayloadChunk on as the views of them it is made
 * of, one event each: the payload of a function's stream is one run of bytes, so a
 * chunk in two events is the same bytes as in one.
 */
import { eventStreamSerdeProvider as sdkEventStreamSerdeProvider } from "@smithy/core/event-streams";
import type { EventStreamMarshaller, EventStreamSerdeProvider, Message } from "@smithy/types";
import { EventStreamDecoder, type EventStreamMessage } from "./eventStreamDecoder.js";

/** Lambda's event of payload bytes: the one whose payload may be handed on in pieces. */
const PAYLOAD_EVENT = "PayloadChunk";

/** What the SDK makes of one message: its event, or `$unknown` for one it does not model. */
type Deserializer<T> = (input: Record<string, Message>) => Promise<T>;

/**
 * The `eventStreamSerdeProvider` of a LambdaClient that reads response streams.
 * Requests are written as the SDK writes them (Lambda takes no event stream in).
 *
 * @example
 * ```ts
 * const client = new LambdaClient({ region, eventStreamSerdeProvider: responseStreamSerdeProvider });
 * ```
 */
export const responseStreamSerdeProvider: EventStreamSerdeProvider = (options) => {
  const sdk = sdkEventStreamSerdeProvider(options);
  const marshaller: EventStreamMarshaller = {
    deserialize: <T>(body: AsyncIterable<Uint8Array>, deserializer: Deserializer<T>) =>
      events(body, deserializer),
    serialize: (input, serializer) => sdk.serialize(input, serializer),
  };
  return marshaller;
};

/** The events of `body`, as the SDK's deserializer makes them of each message. */
async function* events<T>(
  body: AsyncIterable<Uint8Array>,
  deserializer: Deserializer<T>,
): AsyncGenerator<T> {
  const decoder = new EventStreamDecoder();
  for await (const chunk of body) {
    for (const message of decoder.push(chunk)) {
      yield* unmarshal(message, deserializer);
    }
  }
  decoder.end();
}

/**
 * One message as events, as the SDK's own reader treats each message type: an event is
 * deserialized (one not modelled is skipped), an exception or error is thrown.
 */
async function* unmarshal<T>(
  message: EventStreamMessage,
  deserializer: Deserializer<T>,
): AsyncGenerator<T> {
  const { headers } = message;
  const type = stringHeader(message, ":message-type");
  if (type === "event") {
    const name = stringHeader(message, ":event-type") ?? "";
    const bodies =
      name === PAYLOAD_EVENT && message.payload.length > 0 ? message.payload : [joined(message)];
    for (const body of bodies) {
      const event = await deserializer({ [name]: { headers, body } });
      if ((event as { $unknown?: unknown }).$unknown === undefined) {
        yield event;
      }
    }
    return;
  }
  if (type === "exception") {
    const code = stringHeader(message, ":exception-type") ?? "UnknownError";
    const body = joined(message);
    const exception = (await deserializer({ [code]: { headers, body } })) as Record<
      string,
      unknown
    >;
    if (exception.$unknown !== undefined) {
      throw namedError(code, Buffer.from(body).toString("utf8"));
    }
    throw exception[code];
  }
  if (type === "error") {
    throw namedError(
      stringHeader(message, ":error-code") ?? "UnknownError",
      stringHeader(message, ":error-message") || "UnknownError",
    );
  }
  throw new Error(`Unrecognizable event-stream message type: ${String(type)}`);
}

/** A string header's value, or undefined when it is absent or of another type. */
function stringHeader(message: EventStreamMessage, name: string): string | undefined {
  const header = message.headers[name];
  return header?.type === "string" ? header.value : undefined;
}

/** The payload in one buffer: for the small events that are parsed whole (JSON). */
function joined(message: EventStreamMessage): Uint8Array {
  return message.payload.length === 1 && message.payload[0] !== undefined
    ? message.payload[0]
    : Buffer.concat(message.payload, message.payloadBytes);
}

function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}
