/** The admin's pages and actions of the web application (issue 18). */
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../http.js';

export function registerAdminRoutes(app: FastifyInstance, ctx: ServerContext): void {
  void app;
  void ctx;
}
