import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal } from 'src/auth/auth.decorators';
import { Principal } from 'src/auth/principal';
import { ANY_ROLE } from 'src/auth/roles';
import { PageQueryDto } from 'src/common/pagination/page';
import { IdParam } from 'src/common/validation/id-param';
import { COMMENTERS, CommentsService } from 'src/co-definition/comments.service';
import { CommentDto, CommentPageDto, CreateCommentDto } from 'src/co-definition/dto/comment.dto';

@ApiTags('co-definition')
@Controller()
export class CommentsController {
  constructor(private readonly comments: CommentsService) {}

  /** Whoever sees the proposal comments on it (evaluators, contract managers, approvers, ETS staff); auditors only read. */
  @Allow(...COMMENTERS)
  @Post('proposals/:id/comments')
  commentOnProposal(@CurrentPrincipal() principal: Principal, @IdParam() id: string, @Body() dto: CreateCommentDto): Promise<CommentDto> {
    return this.comments.commentOnProposal(principal, id, dto);
  }

  /** The proposal's comments, oldest first, for exactly those who see the proposal. */
  @Allow(...ANY_ROLE)
  @Get('proposals/:id/comments')
  listOnProposal(@CurrentPrincipal() principal: Principal, @IdParam() id: string, @Query() query: PageQueryDto): Promise<CommentPageDto> {
    return this.comments.listOnProposal(principal, id, query);
  }

  /** Whoever reads the contract comments on its indicator-set versions (not auditors). Commenting approves nothing. */
  @Allow(...COMMENTERS)
  @Post('indicator-set-versions/:id/comments')
  commentOnVersion(@CurrentPrincipal() principal: Principal, @IdParam() id: string, @Body() dto: CreateCommentDto): Promise<CommentDto> {
    return this.comments.commentOnVersion(principal, id, dto);
  }

  /** The version's comments, oldest first. */
  @Allow(...ANY_ROLE)
  @Get('indicator-set-versions/:id/comments')
  listOnVersion(@CurrentPrincipal() principal: Principal, @IdParam() id: string, @Query() query: PageQueryDto): Promise<CommentPageDto> {
    return this.comments.listOnVersion(principal, id, query);
  }
}
