export {
  publishEvent,
  openEventPayload,
  sealEventPayloads,
  EventBus,
  type EventHandler,
  type EventBusOptions,
  type DispatchResult,
} from './events';
export {
  notify,
  NotifyService,
  type NotifyServiceOptions,
  type DeliveryResult,
  type MessagePage,
} from './service';
export { ConsoleSender } from './senders';
export { sealOutbox } from './store';
export { notifyRoutes, type NotifyRouteOptions } from './routes';
export {
  nextAttemptAt,
  CHANNELS,
  OUTBOX_STATES,
  type Channel,
  type OutboxState,
  type DomainEvent,
  type DomainEventInput,
  type Recipients,
  type NotifyInput,
  type NotifyResult,
  type OutgoingMessage,
  type Sender,
  type Backoff,
} from './model';
