import { Injectable } from '@nestjs/common';
import { EntityManager, FindOptionsWhere, In, Like } from 'typeorm';
import { AuditService } from 'src/audit/audit.service';
import { AuthError } from 'src/auth/auth.errors';
import { isPlatformAdmin, Principal } from 'src/auth/principal';
import { UserEntity } from 'src/auth/user.entity';
import { Clock } from 'src/common/clock/clock';
import { IdGenerator } from 'src/common/clock/id-generator';
import { Page, pageWindow, toPage } from 'src/common/pagination/page';
import { Database, isUniqueViolation } from 'src/database/database';
import { toOrganisationDto } from 'src/organisations/dto/organisation.dto';
import { OrganisationEntity } from 'src/organisations/organisation.entity';
import { OrganisationError } from 'src/organisations/organisations.errors';
import { CreateUserDto, ListUsersQueryDto, MeDto, toUserDto, UpdateUserDto, UserDto } from 'src/users/dto/user.dto';
import { administeredOrganisations, managesUser, requireMayCreateIn } from 'src/users/users.access';
import { canonicalRoles, checkUserRoles } from 'src/users/users.rules';

@Injectable()
export class UsersService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly audit: AuditService,
  ) {}

  async create(principal: Principal, dto: CreateUserDto): Promise<UserDto> {
    const organisationId = dto.organisationId ?? null;
    requireMayCreateIn(principal, organisationId);
    const roles = canonicalRoles(dto.roles);
    const now = this.clock.nowIso();
    const user: UserEntity = {
      id: this.ids.next(),
      organisationId,
      name: dto.name,
      email: dto.email ?? null,
      roles,
      status: 'ACTIVE',
      createdAt: now,
      updatedAt: now,
    };
    return this.withEmailCheck(user.email, () =>
      this.db.transaction(async (m) => {
        const organisation = organisationId === null ? null : await findUserOrganisation(m, organisationId);
        checkUserRoles(dto.roles, organisation?.kind ?? null);
        await requireEmailFree(m, user.email, null);
        await m.insert(UserEntity, user);
        const after = toUserDto(user);
        await this.audit.record(m, principal, { action: 'create', objectType: 'user', objectId: user.id, municipalityId: auditMunicipality(organisation), after });
        return after;
      }),
    );
  }

  async list(principal: Principal, query: ListUsersQueryDto): Promise<Page<UserDto>> {
    const scope = administeredOrganisations(principal);
    const { take, skip } = pageWindow(query);
    const organisations = scope === 'ALL' ? (query.organisationId ? [query.organisationId] : 'ALL') : scope.filter((id) => (query.organisationId ?? id) === id);
    if (organisations !== 'ALL' && organisations.length === 0) {
      return toPage([], 0, query, toUserDto);
    }
    const where = {
      ...(organisations === 'ALL' ? {} : { organisationId: In([...organisations]) }),
      // Roles are stored as a JSON array of known names: `"auditor"` matches that role only.
      ...(query.role ? { roles: Like(`%"${query.role}"%`) } : {}),
    } as FindOptionsWhere<UserEntity>;
    const [rows, total] = await this.db.read((m) => m.findAndCount(UserEntity, { where, order: { name: 'ASC', id: 'ASC' }, take, skip }));
    return toPage(rows, total, query, toUserDto);
  }

  async get(principal: Principal, id: string): Promise<UserDto> {
    return toUserDto(await this.db.read((m) => findManagedUser(m, principal, id)));
  }

  /** Name, email, roles (checked against the organisation's kind again) and status. */
  async update(principal: Principal, id: string, dto: UpdateUserDto): Promise<UserDto> {
    return this.withEmailCheck(dto.email ?? null, () =>
      this.db.transaction(async (m) => {
        const current = await findManagedUser(m, principal, id);
        const next: UserEntity = {
          ...current,
          name: dto.name ?? current.name,
          email: dto.email === undefined ? current.email : dto.email,
          roles: dto.roles ? canonicalRoles(dto.roles) : current.roles,
          status: dto.status ?? current.status,
          updatedAt: this.clock.nowIso(),
        };
        const organisation = next.organisationId === null ? null : await m.findOneBy(OrganisationEntity, { id: next.organisationId });
        checkUserRoles(dto.roles ?? current.roles, organisation?.kind ?? null);
        if (next.email !== current.email) {
          await requireEmailFree(m, next.email, current.id);
        }
        await m.update(UserEntity, { id }, { name: next.name, email: next.email, roles: next.roles, status: next.status, updatedAt: next.updatedAt });
        const before = toUserDto(current);
        const after = toUserDto(next);
        await this.audit.record(m, principal, { action: 'update', objectType: 'user', objectId: id, municipalityId: auditMunicipality(organisation), before, after });
        return after;
      }),
    );
  }

  /** The caller: its stored user (none for a bearer token), organisation and roles. */
  async me(principal: Principal): Promise<MeDto> {
    const { user, organisation } = await this.db.read(async (m) => ({
      user: principal.via === 'jwt' ? null : await m.findOneBy(UserEntity, { id: principal.userId }),
      organisation: principal.organisationId === null ? null : await m.findOneBy(OrganisationEntity, { id: principal.organisationId }),
    }));
    return {
      subject: principal.userId,
      name: principal.label,
      via: principal.via,
      user: user ? toUserDto(user) : null,
      organisation: organisation ? toOrganisationDto(organisation) : null,
      roles: canonicalRoles([...principal.roles]),
      platformAdmin: isPlatformAdmin(principal),
    };
  }

  private async withEmailCheck<T>(email: string | null, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw emailTaken(email);
      }
      throw error;
    }
  }
}

/** A user the caller administers; anyone else is not found. */
export async function findManagedUser(m: EntityManager, principal: Principal, id: string): Promise<UserEntity> {
  const user = await m.findOneBy(UserEntity, { id });
  if (!user || !managesUser(principal, user)) {
    throw userNotFound(id);
  }
  return user;
}

export function userNotFound(id: string): Error {
  return new AuthError('USER_NOT_FOUND', `User ${id} not found`, { id });
}

async function findUserOrganisation(m: EntityManager, id: string): Promise<OrganisationEntity> {
  const organisation = await m.findOneBy(OrganisationEntity, { id });
  if (!organisation) {
    throw new OrganisationError('ORGANISATION_NOT_FOUND', `Organisation ${id} not found`, {
      id,
      fields: [{ field: 'organisationId', message: 'no such organisation' }],
    });
  }
  return organisation;
}

async function requireEmailFree(m: EntityManager, email: string | null, self: string | null): Promise<void> {
  if (email === null) return;
  const other = await m.findOneBy(UserEntity, { email });
  if (other && other.id !== self) {
    throw emailTaken(email);
  }
}

function emailTaken(email: string | null): Error {
  return new AuthError('USER_EMAIL_TAKEN', `Another user has the email ${email ?? ''}`, {
    fields: [{ field: 'email', message: 'already taken' }],
  });
}

/** User changes show in the audit log of the municipality they work for. */
function auditMunicipality(organisation: OrganisationEntity | null): string | null {
  return organisation?.kind === 'MUNICIPALITY' ? organisation.id : null;
}
