/** The accountant's pages and actions of the web application (issue 18). */
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../http.js';

export function registerAccountantRoutes(app: FastifyInstance, ctx: ServerContext): void {
  void app;
  void ctx;
}
